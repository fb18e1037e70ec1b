namespace Distill.Notebooks;

/// <summary>How much work a notebook does: the full run a reader wants, or the quick one the tests execute.</summary>
/// <param name="Name">"full" or "quick".</param>
/// <param name="IsQuick">Whether the small, fast configuration is in force.</param>
/// <remarks>The reader picks the profile in a notebook's first cell with <see cref="Choose"/>; the environment variable
/// <see cref="EnvironmentVariable"/>, when set, overrides that choice, so that the tests run every notebook quick whatever
/// its first cell says.</remarks>
public sealed record RunProfile(string Name, bool IsQuick)
{
    /// <summary>Environment variable that selects the profile (<c>quick</c> or <c>full</c>) over a notebook's choice.</summary>
    public const string EnvironmentVariable = "DISTILL_PROFILE";

    /// <summary>The profile in force: the last <see cref="Choose"/>, else <c>DISTILL_PROFILE</c>, else full.</summary>
    public static RunProfile Current { get; private set; } = FromName(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>Makes <paramref name="name"/> the profile of this kernel, unless <c>DISTILL_PROFILE</c> names another.</summary>
    /// <param name="name"><c>"quick"</c> or <c>"full"</c>.</param>
    /// <returns>The profile now in force.</returns>
    /// <exception cref="ArgumentException"><paramref name="name"/> (or the environment variable) is not a profile.</exception>
    public static RunProfile Choose(string name)
        => Current = Resolve(name, Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>The profile a notebook's choice gives when the environment variable holds <paramref name="environment"/>:
    /// the environment's when it is set, the choice's otherwise. Both are checked, so a misspelt choice fails even when
    /// overridden.</summary>
    public static RunProfile Resolve(string chosen, string? environment)
    {
        var choice = FromName(chosen);
        return string.IsNullOrWhiteSpace(environment) ? choice : FromName(environment);
    }

    /// <summary>Picks the full or the quick value of a setting (epochs, seeds, grid sizes).</summary>
    public T Pick<T>(T full, T quick) => IsQuick ? quick : full;

    /// <summary>Parses a profile name; empty means full.</summary>
    public static RunProfile FromName(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "full" => new RunProfile("full", false),
        "quick" => new RunProfile("quick", true),
        _ => throw new ArgumentException($"'{name}' is not a profile: use 'quick' or 'full' (in RunProfile.Choose or " +
                                         $"{EnvironmentVariable}).", nameof(name)),
    };
}
