namespace Distill.Metrics;

/// <summary>A precision-recall curve: one (precision, recall) point per distinct score, plus the end point (1, 0).</summary>
/// <param name="Precision">TP / (TP + FP) at each threshold, then a final 1.</param>
/// <param name="Recall">TP / P at each threshold (decreasing), then a final 0.</param>
/// <param name="Thresholds">Increasing distinct scores, one fewer than the points: the final (precision 1, recall 0)
/// point has no threshold.</param>
/// <remarks>
/// Built exactly as scikit-learn 1.2.1 <c>precision_recall_curve</c>: every distinct score is a threshold (no
/// truncation at full recall), and precision is never 0/0 because each threshold admits at least one sample.
/// <c>Precision[0]</c> (lowest threshold, everything predicted positive) is the positive prevalence P / (P + N).
/// </remarks>
public sealed record PrecisionRecallCurve(double[] Precision, double[] Recall, double[] Thresholds);
