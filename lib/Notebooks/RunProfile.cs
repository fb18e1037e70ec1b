namespace Distill.Notebooks;

/// <summary>How much work a notebook does: the full run a reader wants, or the quick one the tests execute.</summary>
/// <param name="Name">"full" or "quick".</param>
/// <param name="IsQuick">Whether the small, fast configuration is in force.</param>
public sealed record RunProfile(string Name, bool IsQuick)
{
    /// <summary>Environment variable that selects the profile (<c>quick</c> or <c>full</c>; default full).</summary>
    public const string EnvironmentVariable = "DISTILL_PROFILE";

    /// <summary>The profile of this process, read once from <c>DISTILL_PROFILE</c>.</summary>
    public static RunProfile Current { get; } = FromName(Environment.GetEnvironmentVariable(EnvironmentVariable));

    /// <summary>Picks the full or the quick value of a setting (epochs, seeds, grid sizes).</summary>
    public T Pick<T>(T full, T quick) => IsQuick ? quick : full;

    /// <summary>Parses a profile name; empty means full.</summary>
    public static RunProfile FromName(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "full" => new RunProfile("full", false),
        "quick" => new RunProfile("quick", true),
        _ => throw new ArgumentException($"{EnvironmentVariable}='{name}' is not a profile: use 'quick' or 'full'.", nameof(name)),
    };
}
