namespace Distill.Metrics;

/// <summary>The numbers BeatGAN prints after each evaluation: ROC AUC, average precision, and the best F1 with its threshold.</summary>
/// <param name="RocAuc">Area under the ROC curve (<see cref="BinaryMetrics.RocAuc"/>).</param>
/// <param name="AveragePrecision">Average precision (<see cref="BinaryMetrics.AveragePrecision"/>).</param>
/// <param name="BestF1">Highest F1 over all thresholds (<see cref="BinaryMetrics.BestF1"/>).</param>
/// <param name="BestF1Threshold">The threshold reaching <paramref name="BestF1"/> (positive when score &gt;= it).</param>
/// <remarks>Zhou et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019.</remarks>
public sealed record BinaryEvaluation(double RocAuc, double AveragePrecision, double BestF1, double BestF1Threshold)
{
    /// <summary>Evaluates anomaly scores against 0/1 labels (1 = anomaly); needs both classes.</summary>
    /// <exception cref="ArgumentException">Bad input, or only one class present.</exception>
    public static BinaryEvaluation Of(IReadOnlyList<double> scores, IReadOnlyList<int> labels)
    {
        // AUC first: it names the single-class problem, which also undoes average precision and F1.
        double auc = BinaryMetrics.RocAuc(scores, labels);
        double ap = BinaryMetrics.AveragePrecision(scores, labels);
        var best = BinaryMetrics.BestF1(scores, labels);
        return new BinaryEvaluation(auc, ap, best.F1, best.Threshold);
    }
}
