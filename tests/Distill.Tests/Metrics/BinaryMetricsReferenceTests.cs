using Distill.Metrics;
using Distill.Tests.Reference;

namespace Distill.Tests.Metrics;

/// <summary>Every binary metric against scikit-learn 1.2.1 on fixed cases (ties, all-tied, rounded, separable, inverted, n = 500).</summary>
public sealed class BinaryMetricsReferenceTests
{
    // Same counts and NumPy's summation order: the results agree to rounding, far inside 1e-12.
    private const double Rel = 1e-12;

    [Theory]
    [MemberData(nameof(MetricsReferenceCase.Names), MemberType = typeof(MetricsReferenceCase))]
    public void RocCurveMatchesSklearn(string name)
    {
        var c = MetricsReferenceCase.Get(name);
        var roc = BinaryMetrics.Roc(c.Scores, c.Labels);
        Tolerance.AssertClose(c.Array("roc_fpr"), roc.FalsePositiveRate, Rel, 0, $"{name} fpr");
        Tolerance.AssertClose(c.Array("roc_tpr"), roc.TruePositiveRate, Rel, 0, $"{name} tpr");
        Tolerance.AssertClose(c.Array("roc_thresholds"), roc.Thresholds, Rel, 0, $"{name} roc thresholds");
    }

    [Theory]
    [MemberData(nameof(MetricsReferenceCase.Names), MemberType = typeof(MetricsReferenceCase))]
    public void RocAucMatchesSklearn(string name)
    {
        var c = MetricsReferenceCase.Get(name);
        Tolerance.AssertClose(c.Scalar("roc_auc"), BinaryMetrics.RocAuc(c.Scores, c.Labels), Rel, 0, $"{name} roc_auc");
    }

    [Theory]
    [MemberData(nameof(MetricsReferenceCase.Names), MemberType = typeof(MetricsReferenceCase))]
    public void PrecisionRecallCurveMatchesSklearn(string name)
    {
        var c = MetricsReferenceCase.Get(name);
        var pr = BinaryMetrics.PrecisionRecall(c.Scores, c.Labels);
        Tolerance.AssertClose(c.Array("pr_precision"), pr.Precision, Rel, 0, $"{name} precision");
        Tolerance.AssertClose(c.Array("pr_recall"), pr.Recall, Rel, 0, $"{name} recall");
        Tolerance.AssertClose(c.Array("pr_thresholds"), pr.Thresholds, Rel, 0, $"{name} pr thresholds");
    }

    [Theory]
    [MemberData(nameof(MetricsReferenceCase.Names), MemberType = typeof(MetricsReferenceCase))]
    public void AveragePrecisionMatchesSklearn(string name)
    {
        var c = MetricsReferenceCase.Get(name);
        Tolerance.AssertClose(c.Scalar("average_precision"), BinaryMetrics.AveragePrecision(c.Scores, c.Labels), Rel, 0,
            $"{name} average_precision");
    }

    [Theory]
    [MemberData(nameof(MetricsReferenceCase.Names), MemberType = typeof(MetricsReferenceCase))]
    public void BestF1MatchesBeatGanSearch(string name)
    {
        var c = MetricsReferenceCase.Get(name);
        var best = BinaryMetrics.BestF1(c.Scores, c.Labels);
        Tolerance.AssertClose(c.Scalar("best_f1"), best.F1, Rel, 0, $"{name} best F1");
        Tolerance.AssertClose(c.Scalar("best_f1_threshold"), best.Threshold, Rel, 0, $"{name} best F1 threshold");
    }

    [Theory]
    [MemberData(nameof(MetricsReferenceCase.Names), MemberType = typeof(MetricsReferenceCase))]
    public void EvaluationCollectsTheSameNumbers(string name)
    {
        var c = MetricsReferenceCase.Get(name);
        var evaluation = BinaryEvaluation.Of(c.Scores, c.Labels);
        Tolerance.AssertClose(
            [c.Scalar("roc_auc"), c.Scalar("average_precision"), c.Scalar("best_f1"), c.Scalar("best_f1_threshold")],
            [evaluation.RocAuc, evaluation.AveragePrecision, evaluation.BestF1, evaluation.BestF1Threshold],
            Rel, 0, $"{name} (auc, ap, f1, threshold)");
    }

    [Theory]
    [MemberData(nameof(MetricsReferenceCase.Names), MemberType = typeof(MetricsReferenceCase))]
    public void AreasAgreeBitForBitWithSklearn(string name)
    {
        // Same integer counts, same divisions and NumPy's pairwise summation order: nothing is left to round
        // differently. A left-to-right sum misses in the last bit on "random", "rounded" and "large".
        var c = MetricsReferenceCase.Get(name);
        Assert.Equal(c.Scalar("roc_auc"), BinaryMetrics.RocAuc(c.Scores, c.Labels));
        Assert.Equal(c.Scalar("average_precision"), BinaryMetrics.AveragePrecision(c.Scores, c.Labels));
    }
}
