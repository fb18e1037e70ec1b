namespace Distill.Losses.Crd;

/// <summary>Hyper-parameters of Contrastive Representation Distillation, with the paper's defaults.</summary>
/// <remarks>
/// Tian, Krishnan &amp; Isola, "Contrastive Representation Distillation", ICLR 2020, Sec. 4.1 and RepDistiller's
/// options <c>feat_dim</c> 128, <c>nce_k</c> 16384, <c>nce_t</c> 0.07, <c>nce_m</c> 0.5.
/// </remarks>
/// <param name="FeatureDim">Dimension of the shared contrast space (<c>feat_dim</c>).</param>
/// <param name="Negatives">Number of negatives K per positive (<c>nce_k</c>); at least 1.</param>
/// <param name="Temperature">Temperature T of the critic exp(v·m/T) (<c>nce_t</c>).</param>
/// <param name="Momentum">Weight of the old memory row in the update m ← normalise(μ·m + (1−μ)·v) (<c>nce_m</c>).</param>
/// <param name="Z">How the normalisation constant Z is chosen (the reference fixes it from the first batch).</param>
/// <param name="ZMomentum">Momentum of Z under <see cref="ZPolicy.RunningEstimate"/>.</param>
/// <param name="Positives">Exact (the row itself) or relax (a row of the same class) positives.</param>
/// <param name="NegativeSampling">Per-row negatives (reference) or one shared set per batch.</param>
/// <param name="Layers">Which student and teacher features are contrasted; null means <see cref="LayerPair.Last"/>.</param>
public sealed record CrdOptions(
    int FeatureDim = 128,
    int Negatives = 16384,
    double Temperature = 0.07,
    double Momentum = 0.5,
    ZPolicy Z = ZPolicy.FixedFromFirstBatch,
    double ZMomentum = 0.99,
    PositiveSampling Positives = PositiveSampling.Exact,
    NegativeSampling NegativeSampling = NegativeSampling.PerRow,
    LayerPair? Layers = null)
{
    /// <summary>These options with K capped at <paramref name="rows"/> − 1, the other rows of a memory bank of
    /// <paramref name="rows"/> rows: RepDistiller draws K = 16384 from 50,000 images, and a small training set would otherwise
    /// be sampled with heavy repetition. The one place every CRD builder caps K.</summary>
    /// <param name="rows">Rows of the memory bank (the training rows), at least 2.</param>
    public CrdOptions CappedTo(long rows)
    {
        if (rows < 2)
            throw new ArgumentOutOfRangeException(nameof(rows), rows, "CRD contrasts each training row with others: it needs at least 2 training rows.");
        return this with { Negatives = (int)Math.Min(Negatives, rows - 1) };
    }

    /// <summary>Throws a clear exception when a value is outside its meaningful range; returns the options otherwise.</summary>
    public CrdOptions Validate()
    {
        if (FeatureDim < 1)
            throw new ArgumentOutOfRangeException(nameof(FeatureDim), FeatureDim, "CRD's FeatureDim must be at least 1 (the paper uses 128).");
        if (Negatives < 1)
            throw new ArgumentOutOfRangeException(nameof(Negatives), Negatives, "CRD needs at least one negative per positive (K >= 1; the paper uses 16384).");
        if (!(Temperature > 0) || double.IsInfinity(Temperature))
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "CRD's Temperature must be a positive finite number (the paper uses 0.07).");
        if (!(Momentum >= 0 && Momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "CRD's memory Momentum must be in [0, 1) (the paper uses 0.5).");
        if (!(ZMomentum >= 0 && ZMomentum < 1))
            throw new ArgumentOutOfRangeException(nameof(ZMomentum), ZMomentum, "CRD's ZMomentum must be in [0, 1) (0.99 by default).");
        return this;
    }
}
