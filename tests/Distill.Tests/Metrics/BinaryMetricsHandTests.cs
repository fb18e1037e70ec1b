using Distill.Metrics;

namespace Distill.Tests.Metrics;

/// <summary>Cases small enough to check with pencil and paper.</summary>
public sealed class BinaryMetricsHandTests
{
    private static readonly double[] Scores = [0.1, 0.4, 0.35, 0.8];
    private static readonly int[] Labels = [0, 0, 1, 1];

    [Fact]
    public void AucOfTheDesignExampleIsThreeQuarters()
    {
        // Pairs (pos, neg): 0.35>0.1 yes, 0.35>0.4 no, 0.8>0.1 yes, 0.8>0.4 yes: 3 of 4 (DESIGN.md).
        Assert.Equal(0.75, BinaryMetrics.RocAuc(Scores, Labels), 15);
    }

    [Fact]
    public void AveragePrecisionOfTheDesignExample()
    {
        // Recall reaches 1/2 at 0.8 with precision 1, then 1 at 0.35 with precision 2/3: 1/2 + 1/2 * 2/3 = 5/6.
        Assert.Equal(5.0 / 6.0, BinaryMetrics.AveragePrecision(Scores, Labels), 15);
    }

    [Fact]
    public void BestF1OfTheDesignExample()
    {
        // >= 0.8: F1 2/3; >= 0.4: 1/2; >= 0.35: P 2/3, R 1, F1 0.8; >= 0.1: 2/3.
        var best = BinaryMetrics.BestF1(Scores, Labels);
        Assert.Equal(0.35, best.Threshold);
        Assert.Equal(0.8, best.F1, 15);
        Assert.Equal(2.0 / 3.0, best.Precision, 15);
        Assert.Equal(1.0, best.Recall);
    }

    [Fact]
    public void BestF1TieKeepsTheHigherThreshold()
    {
        // >= 4: TP 2, FP 1 (P = R = 2/3); >= 1: TP 3, FP 3 (P 1/2, R 1): both F1 = 2/3; BeatGAN scans from the top.
        var best = BinaryMetrics.BestF1([6.0, 5.0, 4.0, 3.0, 2.0, 1.0], [1, 0, 1, 0, 0, 1]);
        Assert.Equal(4.0, best.Threshold);
        Assert.Equal(2.0 / 3.0, best.F1, 15);
    }

    [Fact]
    public void TiedPositiveAndNegativeCountHalf()
    {
        // One pair, tied: neither ordered right nor wrong.
        Assert.Equal(0.5, BinaryMetrics.RocAuc([0.3, 0.3], [0, 1]));
        // Positive 0.5 beats negative 0.2 and ties negative 0.5: (1 + 1/2) / 2.
        Assert.Equal(0.75, BinaryMetrics.RocAuc([0.2, 0.5, 0.5], [0, 0, 1]));
    }

    [Fact]
    public void ConfusionAtCountsScoresEqualToTheThresholdAsPositive()
    {
        // >= 0.4 predicts 0.4 (label 0) and 0.8 (label 1) positive.
        Assert.Equal(new ConfusionMatrix(TruePositives: 1, FalsePositives: 1, TrueNegatives: 1, FalseNegatives: 1),
            BinaryMetrics.ConfusionAt(Scores, Labels, 0.4));
        Assert.Equal(new ConfusionMatrix(2, 0, 2, 0), BinaryMetrics.ConfusionAt([0.1, 0.2, 0.7, 0.9], Labels, 0.7));
        Assert.Equal(new ConfusionMatrix(0, 0, 2, 2), BinaryMetrics.ConfusionAt(Scores, Labels, double.PositiveInfinity));
    }

    [Fact]
    public void PrecisionRecallEndsAtPrecisionOneRecallZeroWithoutAThreshold()
    {
        var pr = BinaryMetrics.PrecisionRecall(Scores, Labels);
        Assert.Equal([0.1, 0.35, 0.4, 0.8], pr.Thresholds);
        Assert.Equal(pr.Thresholds.Length + 1, pr.Precision.Length);
        Assert.Equal((1.0, 0.0), (pr.Precision[^1], pr.Recall[^1]));
        Assert.Equal(0.5, pr.Precision[0]); // everything predicted positive: the prevalence
    }

    [Fact]
    public void AccuracyIsTheFractionOfMatches()
    {
        Assert.Equal(0.75, MulticlassMetrics.Accuracy([0, 1, 2, 2], [0, 1, 1, 2]));
        Assert.Equal(0.0, MulticlassMetrics.Accuracy([1], [0]));
    }
}
