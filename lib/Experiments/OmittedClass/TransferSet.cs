using Distill.Data.Tabular;
using static TorchSharp.torch;

namespace Distill.Experiments.OmittedClass;

/// <summary>The data a student is distilled on (Hinton et al.'s "transfer set"), here a split with one class removed.</summary>
/// <remarks>Hinton, Vinyals &amp; Dean, "Distilling the Knowledge in a Neural Network", NIPS Deep Learning Workshop 2015
/// (arXiv:1503.02531), Section 3: "We then tried omitting all examples of the digit 3 from the transfer set."</remarks>
public static class TransferSet
{
    /// <summary>The rows of <paramref name="split"/> whose label is not <paramref name="omittedClass"/>, re-indexed 0..N-1.</summary>
    /// <exception cref="ArgumentException">The class does not occur in the split (nothing would be omitted) or every row
    /// has it (nothing would be left).</exception>
    public static TabularSplit Omitting(TabularSplit split, int omittedClass)
    {
        ArgumentNullException.ThrowIfNull(split);
        using var scope = NewDisposeScope();
        var kept = (split.Targets != omittedClass).nonzero().flatten();                    // [N kept]
        long omitted = split.Count - kept.shape[0];
        if (omitted == 0)
            throw new ArgumentException($"Class {omittedClass} does not occur in the split ({split.Count} rows): nothing to " +
                                        "omit. Pick a class of the table (digits: 0 to 9).", nameof(omittedClass));
        if (kept.shape[0] == 0)
            throw new ArgumentException($"Every row of the split has class {omittedClass}: the transfer set would be empty.",
                                        nameof(omittedClass));
        var rows = split.Rows(kept);
        var reindexed = rows with { Indices = arange(rows.Count, dtype: ScalarType.Int64, device: split.Targets.device) };
        return new TabularSplit(reindexed.TeacherInput.MoveToOuterDisposeScope(), reindexed.StudentInput.MoveToOuterDisposeScope(),
                                reindexed.Targets.MoveToOuterDisposeScope(), reindexed.Indices.MoveToOuterDisposeScope());
    }
}
