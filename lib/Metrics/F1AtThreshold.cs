namespace Distill.Metrics;

/// <summary>The F1 score reached by predicting positive when score &gt;= <paramref name="Threshold"/>.</summary>
/// <param name="Threshold">The score threshold (a score equal to it counts as positive).</param>
/// <param name="F1">2 P R / (P + R).</param>
/// <param name="Precision">TP / (TP + FP) at the threshold.</param>
/// <param name="Recall">TP / (TP + FN) at the threshold.</param>
public sealed record F1AtThreshold(double Threshold, double F1, double Precision, double Recall);
