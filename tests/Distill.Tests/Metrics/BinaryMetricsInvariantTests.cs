using Distill.Metrics;
using Distill.Tests.Reference;

namespace Distill.Tests.Metrics;

/// <summary>Properties that hold independently of scikit-learn, checked on the reference cases.</summary>
public sealed class BinaryMetricsInvariantTests
{
    [Theory]
    [MemberData(nameof(MetricsReferenceCase.Names), MemberType = typeof(MetricsReferenceCase))]
    public void AucIsTheMannWhitneyStatisticWithTiesCountingHalf(string name)
    {
        var c = MetricsReferenceCase.Get(name);
        double wins = 0;
        int pairs = 0;
        for (int i = 0; i < c.Scores.Length; i++)
            for (int j = 0; j < c.Scores.Length; j++)
                if (c.Labels[i] == 1 && c.Labels[j] == 0)
                {
                    pairs++;
                    wins += c.Scores[i] > c.Scores[j] ? 1.0 : c.Scores[i] == c.Scores[j] ? 0.5 : 0.0;
                }
        Tolerance.AssertClose(wins / pairs, BinaryMetrics.RocAuc(c.Scores, c.Labels), 1e-12, 1e-15, $"{name} AUC vs U / (P N)");
    }

    [Theory]
    [MemberData(nameof(MetricsReferenceCase.Names), MemberType = typeof(MetricsReferenceCase))]
    public void NegatingScoresGivesOneMinusAuc(string name)
    {
        var c = MetricsReferenceCase.Get(name);
        double auc = BinaryMetrics.RocAuc(c.Scores, c.Labels);
        double flipped = BinaryMetrics.RocAuc(c.Scores.Select(s => -s).ToArray(), c.Labels);
        Tolerance.AssertClose(1.0 - auc, flipped, 1e-12, 1e-15, $"{name} AUC(-s)");
    }

    [Theory]
    [MemberData(nameof(MetricsReferenceCase.Names), MemberType = typeof(MetricsReferenceCase))]
    public void ConfusionAtBestThresholdReproducesItsPrecisionAndRecall(string name)
    {
        var c = MetricsReferenceCase.Get(name);
        var best = BinaryMetrics.BestF1(c.Scores, c.Labels);
        var m = BinaryMetrics.ConfusionAt(c.Scores, c.Labels, best.Threshold);
        Assert.Equal(c.Scores.Length, m.TruePositives + m.FalsePositives + m.TrueNegatives + m.FalseNegatives);
        Assert.Equal(c.Labels.Sum(), m.TruePositives + m.FalseNegatives);
        Assert.Equal(best.Precision, (double)m.TruePositives / (m.TruePositives + m.FalsePositives));
        Assert.Equal(best.Recall, (double)m.TruePositives / (m.TruePositives + m.FalseNegatives));
    }

    [Theory]
    [MemberData(nameof(MetricsReferenceCase.Names), MemberType = typeof(MetricsReferenceCase))]
    public void ResultsDoNotDependOnSampleOrder(string name)
    {
        var c = MetricsReferenceCase.Get(name);
        int[] order = Enumerable.Range(0, c.Scores.Length).Reverse().ToArray();
        double[] scores = order.Select(i => c.Scores[i]).ToArray();
        int[] labels = order.Select(i => c.Labels[i]).ToArray();
        Assert.Equal(BinaryEvaluation.Of(c.Scores, c.Labels), BinaryEvaluation.Of(scores, labels));
    }
}
