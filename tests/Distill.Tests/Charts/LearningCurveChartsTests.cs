using Distill.Charts;

namespace Distill.Tests.Charts;

public class LearningCurveChartsTests
{
    [Fact]
    public void CurvesAreLinesOnALogStepAxisAndReferencesAreStarsWithALineAtTheirValue()
    {
        var chart = LearningCurveCharts.AgainstSteps(
            [("ours, seed 0", [(250L, 0.80), (500L, 0.85)]), ("ours, seed 1", [(250L, 0.78), (500L, 0.86)])], "test ROC AUC",
            [("authors", 97_500L, 0.9404)], "Teacher");
        var traces = ChartJson.Traces(chart);
        Assert.Equal(3, traces.Count);
        Assert.Equal([250.0, 500.0], ChartJson.Doubles(traces[0].GetProperty("x")));
        Assert.Equal([0.9404], ChartJson.Doubles(traces[2].GetProperty("y")));
        var layout = ChartJson.Figure(chart).GetProperty("layout");
        Assert.Equal("log", layout.GetProperty("xaxis").GetProperty("type").GetString());
        var shape = layout.GetProperty("shapes").EnumerateArray().Single();
        Assert.Equal(0.9404, shape.GetProperty("y0").GetDouble());
        Assert.Equal(0.9404, shape.GetProperty("y1").GetDouble());
    }

    [Fact]
    public void EmptyCurvesAndNonPositiveStepsAreRefused()
    {
        Assert.Throws<ArgumentException>(() => LearningCurveCharts.AgainstSteps([], "auc", [], "t"));
        Assert.Throws<ArgumentException>(() => LearningCurveCharts.AgainstSteps([("a", [(0L, 0.5)])], "auc", [], "t"));
        Assert.Throws<ArgumentException>(() => LearningCurveCharts.AgainstSteps([("a", [(1L, double.NaN)])], "auc", [], "t"));
        Assert.Throws<ArgumentException>(() => LearningCurveCharts.AgainstSteps([("a", [(1L, 0.5)])], "auc", [("r", 0L, 0.9)], "t"));
    }
}
