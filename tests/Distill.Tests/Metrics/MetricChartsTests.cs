using System.Text.Json;
using Distill.Charts;
using Distill.Metrics;
using Plotly.NET;

namespace Distill.Tests.Metrics;

/// <summary>The ROC and PR chart builders put the curves, their areas and a chance line into the Plotly figure.</summary>
public sealed class MetricChartsTests
{
    private static readonly double[] Scores = [0.1, 0.4, 0.35, 0.8];
    private static readonly int[] Labels = [0, 0, 1, 1];

    private static JsonElement Figure(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart)).RootElement;

    private static double[] Values(JsonElement trace, string axis) => trace.GetProperty(axis).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    [Fact]
    public void RocChartHoldsTheCurveItsAucAndTheChanceDiagonal()
    {
        var curve = BinaryMetrics.Roc(Scores, Labels);
        var figure = Figure(MetricCharts.Roc(curve, "teacher"));
        var data = figure.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(2, data.Count);
        Assert.Equal("teacher (AUC = 0.750)", data[0].GetProperty("name").GetString());
        Assert.Equal(curve.FalsePositiveRate, Values(data[0], "x"));
        Assert.Equal(curve.TruePositiveRate, Values(data[0], "y"));
        Assert.Equal([0.0, 1.0], Values(data[1], "x"));
        Assert.Equal([0.0, 1.0], Values(data[1], "y"));
        string layout = figure.GetProperty("layout").GetRawText();
        Assert.Contains("False positive rate", layout);
        Assert.Contains("True positive rate", layout);
    }

    [Fact]
    public void PrecisionRecallChartsCompareModelsWithTheirAp()
    {
        var teacher = BinaryMetrics.PrecisionRecall(Scores, Labels);
        var student = BinaryMetrics.PrecisionRecall([0.9, 0.4, 0.35, 0.8, 0.5], [0, 0, 1, 1, 0]);
        var data = Figure(MetricCharts.PrecisionRecall([("teacher", teacher), ("student", student)]))
            .GetProperty("data").EnumerateArray().ToList();
        // Two curves, then one chance line per prevalence (2/4 and 2/5).
        Assert.Equal(4, data.Count);
        Assert.Equal("teacher (AP = 0.833)", data[0].GetProperty("name").GetString());
        Assert.Equal(teacher.Recall, Values(data[0], "x"));
        Assert.Equal(teacher.Precision, Values(data[0], "y"));
        Assert.Equal("hv", data[0].GetProperty("line").GetProperty("shape").GetString());
        Assert.Equal(student.Precision, Values(data[1], "y"));
        Assert.Equal([0.5, 0.5], Values(data[2], "y"));
        Assert.Equal([0.4, 0.4], Values(data[3], "y"));
    }

    [Fact]
    public void SeveralRocCurvesAndTheirAucsShareOneChart()
    {
        var good = BinaryMetrics.Roc(Scores, Labels);
        var bad = BinaryMetrics.Roc(Scores.Select(s => -s).ToArray(), Labels);
        var data = Figure(MetricCharts.Roc([("good", good), ("inverted", bad)])).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["good (AUC = 0.750)", "inverted (AUC = 0.250)", "chance (AUC = 0.500)"],
            data.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(good.Thresholds.Select(t => FormattableString.Invariant($"threshold {t:G6}")), data[0].GetProperty("text").EnumerateArray().Select(t => t.GetString()));
    }

    [Fact]
    public void EmptyOrInconsistentCurvesAreRejected()
    {
        Assert.Contains("no ROC curves", Assert.Throws<ArgumentException>(() => MetricCharts.Roc([])).Message);
        Assert.Contains("curve 'e' has no points",
            Assert.Throws<ArgumentException>(() => MetricCharts.PrecisionRecall(new PrecisionRecallCurve([], [], []), "e")).Message);
        var broken = new RocCurve([0.0, 1.0], [0.0, 0.5, 1.0], [2.0, 1.0]);
        Assert.Contains("curve 'x' has 2 false positive rates but 3 true positive rates",
            Assert.Throws<ArgumentException>(() => MetricCharts.Roc(broken, "x")).Message);
    }
}
