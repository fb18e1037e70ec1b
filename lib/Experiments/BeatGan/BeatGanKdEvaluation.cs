using System.Globalization;
using Distill.Anomaly;
using Distill.Data.Ecg;
using Distill.Metrics;
using Distill.Models.BeatGan;
using static TorchSharp.torch;

namespace Distill.Experiments.BeatGan;

/// <summary>How a BeatGAN generator scores the test beats: the authors' figures, and what a deployed detector would reach with
/// a threshold chosen without the test labels.</summary>
/// <param name="Test">ROC AUC, average precision and the best F1 over thresholds chosen on the test labels (the authors' and
/// the lab notes' F1, an optimistic figure: no deployed detector knows the test labels).</param>
/// <param name="ValidationThreshold">The reconstruction error at which F1 is best on the validation beats.</param>
/// <param name="F1AtValidationThreshold">Test F1 when beats with an error of at least <paramref name="ValidationThreshold"/>
/// are called abnormal: the honest counterpart of <see cref="BinaryEvaluation.BestF1"/>.</param>
/// <param name="RecallAtValidationThreshold">At that threshold, the share of test beats of each abnormal AAMI class called
/// abnormal, and for N the share called normal (specificity); empty when the data carry no classes.</param>
/// <param name="TestErrors">Each test beat's raw reconstruction error, in the test set's order (for ROC curves per class).</param>
/// <remarks>Zhou et al., "BeatGAN", IJCAI 2019, Section 4 (scores, AUC, AP, F1); the generator scores in evaluation mode.
/// Thresholds are compared on raw errors, because min-max normalisation rescales each set by its own extremes.</remarks>
public sealed record BeatGanKdEvaluation(BinaryEvaluation Test, double ValidationThreshold, double F1AtValidationThreshold,
                                         IReadOnlyDictionary<AamiClass, double> RecallAtValidationThreshold, IReadOnlyList<double> TestErrors)
{
    /// <summary>Scores the validation and test beats of <paramref name="data"/> with <paramref name="generator"/>.</summary>
    public static BeatGanKdEvaluation Measure(BeatGanGenerator generator, BeatGanKdData data)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(data);
        using var scope = NewDisposeScope();
        return FromErrors(Doubles(ReconstructionScores.Errors(generator, data.Validation)), data.ValidationLabels,
                          Doubles(ReconstructionScores.Errors(generator, data.Test)), data.TestLabels, data.TestClasses);
    }

    /// <summary>The figures from reconstruction errors: the threshold is the one of best F1 on the validation errors.</summary>
    /// <param name="validationErrors">Raw reconstruction errors of the validation beats.</param>
    /// <param name="validationLabels">0 normal, 1 abnormal, per validation beat; both present.</param>
    /// <param name="testErrors">Raw reconstruction errors of the test beats.</param>
    /// <param name="testLabels">0 normal, 1 abnormal, per test beat; both present.</param>
    /// <param name="testClasses">The AAMI class of each test beat, or null.</param>
    public static BeatGanKdEvaluation FromErrors(IReadOnlyList<double> validationErrors, IReadOnlyList<int> validationLabels,
        IReadOnlyList<double> testErrors, IReadOnlyList<int> testLabels, IReadOnlyList<AamiClass>? testClasses)
    {
        ArgumentNullException.ThrowIfNull(testErrors);
        if (testClasses is not null && testClasses.Count != testErrors.Count)
            throw new ArgumentException($"{testClasses.Count} classes for {testErrors.Count} test beats; give one class per beat.", nameof(testClasses));
        double threshold = BinaryMetrics.BestF1(validationErrors, validationLabels).Threshold;
        var confusion = BinaryMetrics.ConfusionAt(testErrors, testLabels, threshold);
        double f1 = confusion.TruePositives == 0 ? 0
            : 2.0 * confusion.TruePositives / (2.0 * confusion.TruePositives + confusion.FalsePositives + confusion.FalseNegatives);
        var recall = testClasses is null ? new Dictionary<AamiClass, double>()
            : testClasses.Select((c, i) => (Class: c, Right: c.IsAbnormal() == testErrors[i] >= threshold)).GroupBy(p => p.Class)
                         .ToDictionary(g => g.Key, g => g.Average(p => p.Right ? 1.0 : 0.0));
        return new BeatGanKdEvaluation(BinaryEvaluation.Of(testErrors, testLabels), threshold, f1, recall, testErrors.ToArray());
    }

    /// <summary>Every figure by a short name (auc, ap, f1_best, f1_at_val_threshold, val_threshold, recall_S, …,
    /// specificity_N), for histories and CSV files.</summary>
    public IReadOnlyDictionary<string, double> ToMetrics()
    {
        var metrics = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["auc"] = Test.RocAuc, ["ap"] = Test.AveragePrecision, ["f1_best"] = Test.BestF1,
            ["f1_at_val_threshold"] = F1AtValidationThreshold, ["val_threshold"] = ValidationThreshold,
        };
        foreach (var (c, value) in RecallAtValidationThreshold.OrderBy(kv => kv.Key))
            metrics[c.IsAbnormal() ? $"recall_{c}" : $"specificity_{c}"] = value;
        return metrics;
    }

    /// <summary>The column names of <see cref="ToMetrics"/> for data with every AAMI class, in order.</summary>
    public static IReadOnlyList<string> MetricNames { get; } =
        ["auc", "ap", "f1_best", "f1_at_val_threshold", "val_threshold", "specificity_N", "recall_S", "recall_V", "recall_F", "recall_Q"];

    /// <summary>One line: AUC, AP and both F1 figures.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"auc {Test.RocAuc:F4} ap {Test.AveragePrecision:F4} f1 {Test.BestF1:F4} (test-chosen) {F1AtValidationThreshold:F4} (validation-chosen)");

    private static double[] Doubles(Tensor errors) => errors.cpu().to_type(ScalarType.Float64).data<double>().ToArray();
}
