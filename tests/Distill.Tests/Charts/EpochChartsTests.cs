using Distill.Charts;

namespace Distill.Tests.Charts;

public class EpochChartsTests
{
    [Fact]
    public void EveryEpochIsDrawnAndEachCurveIsStarredAtTheKeptEpoch()
    {
        var traces = ChartJson.Traces(EpochCharts.WithKeptEpoch([1, 2, 3],
            [("validation AUC", [0.6, 0.9, 0.7]), ("test AUC", [0.3, 0.5, 0.95])], keptEpoch: 2, "history"));
        Assert.Equal(3, traces.Count);
        Assert.Equal([0.6, 0.9, 0.7], ChartJson.Doubles(traces[0].GetProperty("y")));
        Assert.Equal([2.0, 2.0], ChartJson.Doubles(traces[2].GetProperty("x")));
        Assert.Equal([0.9, 0.5], ChartJson.Doubles(traces[2].GetProperty("y")));
        Assert.Equal("kept epoch 2", traces[2].GetProperty("name").GetString());
    }

    [Fact]
    public void AKeptEpochOutsideTheRunOrACurveOfAnotherLengthIsRefused()
    {
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => EpochCharts.WithKeptEpoch([1, 2], [("a", [0.1, 0.2])], 4, "t"));
        Assert.Contains("kept (best) epoch", outside.Message);
        var length = Assert.Throws<ArgumentException>(() => EpochCharts.WithKeptEpoch([1, 2], [("a", [0.1])], 1, "t"));
        Assert.Contains("one per epoch", length.Message);
    }
}
