using Distill.Data;

namespace Distill.Interop;

/// <summary>A state_dict file does not fit the model it is loaded into: every missing key, unexpected key and
/// shape or type mismatch is listed at once, so one run shows everything that needs fixing.</summary>
public sealed class StateDictMismatchException : InvalidFileException
{
    /// <summary>Creates the exception; the message lists all problems.</summary>
    /// <param name="path">The file that was read.</param>
    /// <param name="layout">Name of the key layout that was used.</param>
    /// <param name="missing">PyTorch keys the model needs that the file lacks.</param>
    /// <param name="unexpected">Keys in the file the model has no tensor for.</param>
    /// <param name="mismatched">Keys present on both sides whose shape or element type differ, with both descriptions.</param>
    /// <param name="diagnosis">The likely cause when the lists point to one (for example a file of another network), or null.</param>
    public StateDictMismatchException(string path, string layout, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
                                      IReadOnlyList<string> mismatched, string? diagnosis = null)
        : base(path, Describe(path, layout, missing, unexpected, mismatched, diagnosis))
    {
        Missing = missing;
        Unexpected = unexpected;
        Mismatched = mismatched;
    }

    /// <summary>PyTorch keys the model needs that the file lacks.</summary>
    public IReadOnlyList<string> Missing { get; }

    /// <summary>Keys in the file the model has no tensor for.</summary>
    public IReadOnlyList<string> Unexpected { get; }

    /// <summary>Keys whose shape or element type differ ("key: file [8, 6] Float32, model [8, 5] Float32").</summary>
    public IReadOnlyList<string> Mismatched { get; }

    private static string Describe(string path, string layout, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected,
                                   IReadOnlyList<string> mismatched, string? diagnosis)
    {
        var lines = new List<string> { $"The state_dict in '{path}' does not fit the model (layout '{layout}'):" };
        if (diagnosis is not null) lines.Add($"  {diagnosis}");
        if (missing.Count > 0) lines.Add($"  missing keys: {string.Join(", ", missing)}");
        if (unexpected.Count > 0) lines.Add($"  unexpected keys: {string.Join(", ", unexpected)}");
        if (mismatched.Count > 0) lines.Add($"  shape or type mismatches: {string.Join("; ", mismatched)}");
        lines.Add("Build the model with the widths the file was trained with, and use the layout of the PyTorch code that saved it.");
        return string.Join(Environment.NewLine, lines);
    }
}
