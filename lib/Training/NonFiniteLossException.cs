namespace Distill.Training;

/// <summary>Training stopped because the loss became NaN or infinite; names where, which terms, and what was kept.</summary>
public sealed class NonFiniteLossException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="epoch">1-based epoch of the failing batch.</param>
    /// <param name="batch">1-based batch within the epoch.</param>
    /// <param name="total">The total loss.</param>
    /// <param name="terms">Every named (unweighted) term of the batch.</param>
    /// <param name="kept">What survives: the last good checkpoint, or a note that none was written.</param>
    public NonFiniteLossException(int epoch, int batch, double total, IReadOnlyDictionary<string, double> terms, string kept)
        : base(Describe(epoch, batch, total, terms, kept))
    {
        Epoch = epoch;
        Batch = batch;
        NonFiniteTerms = terms.Where(t => !double.IsFinite(t.Value)).Select(t => t.Key).ToArray();
    }

    /// <summary>1-based epoch of the failing batch.</summary>
    public int Epoch { get; }

    /// <summary>1-based batch within the epoch.</summary>
    public int Batch { get; }

    /// <summary>Names of the terms that were NaN or infinite (empty when only the weighted total overflowed).</summary>
    public IReadOnlyList<string> NonFiniteTerms { get; }

    private static string Describe(int epoch, int batch, double total, IReadOnlyDictionary<string, double> terms, string kept)
    {
        var bad = terms.Where(t => !double.IsFinite(t.Value)).Select(t => $"{t.Key}={t.Value}").ToArray();
        string which = bad.Length > 0 ? $"non-finite term(s): {string.Join(", ", bad)}"
                                      : "every term is finite, so their weighted sum overflowed";
        return $"The training loss became {total} at epoch {epoch}, batch {batch} ({which}; all terms: " +
               $"{string.Join(", ", terms.Select(t => $"{t.Key}={t.Value}"))}). {kept} " +
               "Lower the learning rate or the term's weight, or check the inputs for extreme values.";
    }
}
