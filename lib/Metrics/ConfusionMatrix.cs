namespace Distill.Metrics;

/// <summary>Counts of a binary decision against 0/1 labels (1 = positive).</summary>
/// <param name="TruePositives">Label 1, predicted 1.</param>
/// <param name="FalsePositives">Label 0, predicted 1.</param>
/// <param name="TrueNegatives">Label 0, predicted 0.</param>
/// <param name="FalseNegatives">Label 1, predicted 0.</param>
public sealed record ConfusionMatrix(int TruePositives, int FalsePositives, int TrueNegatives, int FalseNegatives);
