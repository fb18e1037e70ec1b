using Distill.Metrics;

namespace Distill.Tests.Metrics;

public sealed class ChanceLevelsTests
{
    [Fact]
    public void TheDemoTestSetsLevelsByHand()
    {
        // 48 abnormal of 72 test beats: π = 2/3; all abnormal: precision 2/3, recall 1, F1 = (4/3) / (5/3) = 0.8.
        var levels = ChanceLevels.Of([.. Enumerable.Repeat(0, 24), .. Enumerable.Repeat(1, 48)]);
        Assert.Equal(2.0 / 3.0, levels.AveragePrecision, 15);
        Assert.Equal(0.8, levels.F1AllPositive, 15);
        Assert.Equal(0.5, levels.RocAuc);
    }

    [Fact]
    public void CallingEverythingPositiveIsTheF1OfTheLowestThreshold()
    {
        // Independent route: the confusion matrix at a threshold below every score (everything called positive).
        var random = new Random(3);
        int[] labels = Enumerable.Range(0, 200).Select(_ => random.NextDouble() < 0.3 ? 1 : 0).ToArray();
        double[] scores = labels.Select(_ => random.NextDouble()).ToArray();
        var all = BinaryMetrics.ConfusionAt(scores, labels, threshold: -1);
        double f1 = 2.0 * all.TruePositives / (2.0 * all.TruePositives + all.FalsePositives + all.FalseNegatives);
        var levels = ChanceLevels.Of(labels);
        Assert.Equal(f1, levels.F1AllPositive, 12);
        Assert.True(BinaryMetrics.BestF1(scores, labels).F1 >= levels.F1AllPositive - 1e-12);
    }

    [Fact]
    public void TheAveragePrecisionOfRandomScoresApproachesThePositiveShare()
    {
        var random = new Random(5);
        int[] labels = Enumerable.Range(0, 20_000).Select(_ => random.NextDouble() < 0.2 ? 1 : 0).ToArray();
        double[] scores = labels.Select(_ => random.NextDouble()).ToArray();
        var levels = ChanceLevels.Of(labels);
        Assert.Equal(levels.AveragePrecision, BinaryMetrics.AveragePrecision(scores, labels), 2);
        Assert.Equal(levels.RocAuc, BinaryMetrics.RocAuc(scores, labels), 1);
    }

    [Fact]
    public void LabelsOfOneClassOrNotZeroOneAreRefused()
    {
        var oneClass = Assert.Throws<ArgumentOutOfRangeException>(() => ChanceLevels.Of([1, 1, 1]));
        Assert.Contains("both classes", oneClass.Message);
        var notBinary = Assert.Throws<ArgumentException>(() => ChanceLevels.Of([0, 1, 2]));
        Assert.Contains("neither 0 nor 1", notBinary.Message);
    }
}
