namespace Distill.Losses.Crd;

/// <summary>Whether every batch row gets its own K negatives or the batch shares one set.</summary>
/// <remarks>
/// The memory update is the same in both modes; only which memory rows are scored differs.
/// </remarks>
public enum NegativeSampling
{
    /// <summary>
    /// K negatives per row, as in the reference (Tian, Krishnan &amp; Isola, ICLR 2020; RepDistiller), which gathers
    /// B·(K+1)·feat_dim memory values per step (537 MB of float32 at B 64, K 16384, feat_dim 128). Here, while the bank holds
    /// at most 32·(K+1) rows, each anchor is scored against the whole bank by one matrix product and its K+1 scores are
    /// picked from it (the same sums); larger banks gather as the reference does. With labels, negatives come from other
    /// classes than the row's.
    /// </summary>
    PerRow,

    /// <summary>
    /// One set of K negatives for the whole batch (a deviation from the reference): scores are a [B, D] x [D, K]
    /// matrix product over K·feat_dim gathered values. Negatives are uniform over the data set, so a negative may
    /// share the anchor's class (as in the reference's unlabelled path); the positive stays per row.
    /// </summary>
    Shared,
}
