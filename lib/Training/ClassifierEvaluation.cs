namespace Distill.Training;

/// <summary>How a classifier did on one split.</summary>
/// <param name="Loss">Mean task loss over the split.</param>
/// <param name="PrimaryName">Name of the metric that selects the best model and drives the LR schedule.</param>
/// <param name="Primary">Its value (higher is better).</param>
/// <param name="Metrics">Every metric computed, by name (includes the primary one).</param>
/// <param name="Scores">Per-row score of the positive class (binary) or predicted class (multiclass), for curves.</param>
/// <param name="Labels">Per-row true labels, aligned with <paramref name="Scores"/>.</param>
public sealed record ClassifierEvaluation(double Loss, string PrimaryName, double Primary,
                                          IReadOnlyDictionary<string, double> Metrics, double[] Scores, int[] Labels);
