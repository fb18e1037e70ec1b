using Distill.Metrics;

namespace Distill.Tests.Metrics;

/// <summary>Bad input throws with a message that names the problem and the fix.</summary>
public sealed class BinaryMetricsErrorTests
{
    public static TheoryData<string> AllMetrics() => ["Roc", "RocAuc", "PrecisionRecall", "AveragePrecision", "BestF1", "ConfusionAt", "Evaluation"];

    private static object Call(string metric, double[] scores, int[] labels) => metric switch
    {
        "Roc" => BinaryMetrics.Roc(scores, labels),
        "RocAuc" => BinaryMetrics.RocAuc(scores, labels),
        "PrecisionRecall" => BinaryMetrics.PrecisionRecall(scores, labels),
        "AveragePrecision" => BinaryMetrics.AveragePrecision(scores, labels),
        "BestF1" => BinaryMetrics.BestF1(scores, labels),
        "ConfusionAt" => BinaryMetrics.ConfusionAt(scores, labels, 0.5),
        "Evaluation" => BinaryEvaluation.Of(scores, labels),
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void LengthMismatchIsRejected(string metric)
    {
        var e = Assert.Throws<ArgumentException>(() => Call(metric, [0.1, 0.2, 0.3], [0, 1]));
        Assert.Contains("(3 vs 2)", e.Message);
    }

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void EmptyInputIsRejected(string metric)
    {
        var e = Assert.Throws<ArgumentException>(() => Call(metric, [], []));
        Assert.Contains("empty", e.Message);
    }

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void LabelOtherThanZeroOrOneIsRejected(string metric)
    {
        var e = Assert.Throws<ArgumentException>(() => Call(metric, [0.1, 0.2, 0.3], [0, 1, 2]));
        Assert.Contains("labels[2] = 2", e.Message);
    }

    [Theory]
    [MemberData(nameof(AllMetrics))]
    public void NonFiniteScoreIsRejectedWithItsIndex(string metric)
    {
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
        {
            var e = Assert.Throws<ArgumentException>(() => Call(metric, [0.1, 0.2, bad, 0.4], [0, 1, 0, 1]));
            Assert.Contains("scores[2]", e.Message);
        }
    }

    [Theory]
    [InlineData("Roc")]
    [InlineData("RocAuc")]
    [InlineData("AveragePrecision")]
    [InlineData("Evaluation")]
    public void SingleClassIsRejectedWhereTheMetricNeedsBoth(string metric)
    {
        var onlyNegatives = Assert.Throws<ArgumentException>(() => Call(metric, [0.1, 0.2], [0, 0]));
        Assert.Contains("only one class", onlyNegatives.Message);
        var onlyPositives = Assert.Throws<ArgumentException>(() => Call(metric, [0.1, 0.2], [1, 1]));
        Assert.Contains("only one class", onlyPositives.Message);
    }

    [Theory]
    [InlineData("PrecisionRecall")]
    [InlineData("BestF1")]
    public void NoPositivesIsRejectedWhereRecallIsUndefined(string metric)
    {
        var e = Assert.Throws<ArgumentException>(() => Call(metric, [0.1, 0.2], [0, 0]));
        Assert.Contains("without positives", e.Message);
        Assert.NotNull(Call(metric, [0.1, 0.2], [1, 1])); // all positive is well defined
    }

    [Fact]
    public void NaNThresholdIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => BinaryMetrics.ConfusionAt([0.1], [1], double.NaN));
        Assert.Contains("threshold is NaN", e.Message);
    }

    [Fact]
    public void AccuracyRejectsMismatchedOrEmptyInput()
    {
        Assert.Contains("(2 vs 1)", Assert.Throws<ArgumentException>(() => MulticlassMetrics.Accuracy([0, 1], [0])).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => MulticlassMetrics.Accuracy([], [])).Message);
    }
}
