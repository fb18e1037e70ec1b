namespace Distill.Losses.Crd;

/// <summary>How <see cref="ContrastMemory"/> chooses the NCE normalisation constant Z of each view.</summary>
/// <remarks>
/// Tian, Krishnan &amp; Isola, ICLR 2020, Eq. 19 approximate the partition function by Z = mean(exp(v·m/T)) · N
/// over the sampled scores (a Monte-Carlo estimate, as in Wu et al., "Unsupervised Feature Learning via
/// Non-Parametric Instance Discrimination", CVPR 2018). The reference code computes it from the first batch only.
/// </remarks>
public enum ZPolicy
{
    /// <summary>
    /// The reference behaviour (default): Z is estimated once, from the first batch's scores, and kept for the
    /// rest of training. Faithful to RepDistiller, but Z then reflects the untrained embeddings: as the critic
    /// sharpens, exp(v·m/T)/Z of positives can exceed 1 and the "probabilities" stop being normalised
    /// (a frequently reported issue).
    /// </summary>
    FixedFromFirstBatch,

    /// <summary>
    /// The first batch sets Z as above; every later batch moves it towards that batch's estimate,
    /// Z ← m·Z + (1 − m)·mean(scores)·N with m = <see cref="CrdOptions.ZMomentum"/> (0.99), before the scores
    /// are divided by it. Z follows the embeddings as they train; losses are then not comparable to the reference's.
    /// </summary>
    RunningEstimate,
}
