using Distill.Charts;
using Distill.Metrics;
using Distill.Training;
using static Distill.Tests.Charts.ChartJson;

namespace Distill.Tests.Charts;

/// <summary>Charts fill their output's width, keep their legend off the plot, and tick epochs at whole numbers.</summary>
public sealed class ChartStyleTests
{
    private static IReadOnlyList<EpochRecord> History(int epochs) =>
        Enumerable.Range(1, epochs).Select(e => new EpochRecord(e, epochs, 1.0 / e, new Dictionary<string, double> { ["task"] = 1.0 / e },
            new ClassifierEvaluation(1.5 / e, "f1", 0.9, new Dictionary<string, double> { ["f1"] = 0.9 }, [], []),
            1e-3, e == 1, TimeSpan.Zero)).ToArray();

    [Fact]
    public void ChartsFillTheWidthOfTheirOutputAtAFixedHeight()
    {
        var roc = BinaryMetrics.Roc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]);
        foreach (var chart in new[]
                 {
                     MetricCharts.Roc(roc, "score"), TrainingCharts.Loss(History(3)),
                     SoftmaxCharts.TemperatureCurves([2.0, 1.0], [1.0, 2.0]), BeatGanCharts.ScoreHistogram([0.1, 0.9], [0, 1]),
                 })
        {
            var layout = Figure(chart).GetProperty("layout");
            Assert.False(layout.TryGetProperty("width", out _), "Plotly.NET's fixed 600 px width must be removed");
            Assert.Equal(ChartStyle.DefaultHeight, layout.GetProperty("height").GetInt32());
        }
    }

    [Fact]
    public void LegendsSitUnderThePlotOrInTheRocCurvesEmptyCorner()
    {
        var below = Figure(TrainingCharts.Loss(History(3))).GetProperty("layout").GetProperty("legend");
        Assert.Equal("h", below.GetProperty("orientation").GetString());
        Assert.True(below.GetProperty("y").GetDouble() < 0);
        var inside = Figure(MetricCharts.Roc(BinaryMetrics.Roc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), "score")).GetProperty("layout").GetProperty("legend");
        Assert.Equal("right", inside.GetProperty("xanchor").GetString());
        Assert.Equal("bottom", inside.GetProperty("yanchor").GetString());
        Assert.InRange(inside.GetProperty("x").GetDouble(), 0.9, 1.0);
        Assert.InRange(inside.GetProperty("y").GetDouble(), 0.0, 0.1);
    }

    [Fact]
    public void ShortEpochAxesAreTickedAtEveryWholeNumber()
    {
        var shortAxis = Figure(TrainingCharts.Loss(History(4))).GetProperty("layout").GetProperty("xaxis");
        Assert.Equal(1, shortAxis.GetProperty("dtick").GetInt32());
        Assert.Equal(1, shortAxis.GetProperty("tick0").GetInt32());
        var longAxis = Figure(TrainingCharts.Loss(History(30))).GetProperty("layout").GetProperty("xaxis");
        Assert.False(longAxis.TryGetProperty("dtick", out _));
    }

    [Fact]
    public void ASubtitleIsASecondLineOfTheTitle()
    {
        var chart = TrainingCharts.Loss(History(2)).WithTitle("Embeddings", "cosine 0.59");
        Assert.Equal("Embeddings<br><sup>cosine 0.59</sup>", Figure(chart).GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        Assert.Throws<ArgumentOutOfRangeException>(() => TrainingCharts.Loss(History(2)).FullWidth(50));
    }
}
