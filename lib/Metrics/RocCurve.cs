namespace Distill.Metrics;

/// <summary>A receiver operating characteristic curve: one (FPR, TPR) point per kept score threshold.</summary>
/// <param name="FalsePositiveRate">FP / N at each threshold, increasing from 0 to 1.</param>
/// <param name="TruePositiveRate">TP / P at each threshold, increasing from 0 to 1.</param>
/// <param name="Thresholds">Decreasing thresholds; a sample is positive when its score is &gt;= the threshold.
/// The first is the highest score + 1 so that the curve starts at (0, 0).</param>
/// <remarks>
/// Fawcett, "An introduction to ROC analysis", Pattern Recognition Letters, 2006. Built exactly as
/// scikit-learn 1.2.1 <c>roc_curve(drop_intermediate=True)</c>: tied scores form one threshold, and a point
/// whose FP and TP steps both equal its neighbours' (a collinear, never optimal point) is dropped.
/// scikit-learn 1.3+ starts with +inf instead of highest + 1; 1.2.1 is the version BeatGAN's numbers come from.
/// </remarks>
public sealed record RocCurve(double[] FalsePositiveRate, double[] TruePositiveRate, double[] Thresholds);
