using Distill.Charts;
using static TorchSharp.torch;

namespace Distill.Tests.Charts;

public class BeatGanChartsTests
{
    [Fact]
    public void BeatsByLabelDrawsLeadZeroOfEachChosenBeatWithOneLegendEntryPerClass()
    {
        using var scope = NewDisposeScope();
        // Beat i has lead 0 = i everywhere and lead 1 = -100, so each trace tells which beat and lead it drew.
        var beats = stack(Enumerable.Range(0, 5).Select(i => stack([full(8, (float)i), full(8, -100f)])).ToArray()); // [5, 2, 8]
        int[] labels = [0, 1, 0, 1, 1];

        var traces = ChartJson.Traces(BeatGanCharts.BeatsByLabel(beats, labels, maxPerClass: 2));

        Assert.Equal(4, traces.Count); // 2 normal (beats 0, 2) + 2 of the 3 abnormal (beats 1, 3)
        Assert.Equal([0.0, 2.0, 1.0, 3.0], traces.Select(t => ChartJson.Doubles(t.GetProperty("y"))[0]).ToArray());
        Assert.All(traces, t => Assert.Equal(8, t.GetProperty("y").GetArrayLength()));
        Assert.Equal(["normal", "normal", "abnormal", "abnormal"], traces.Select(t => t.GetProperty("name").GetString()!).ToArray());
        Assert.Equal([true, false, true, false], traces.Select(t => t.GetProperty("showlegend").GetBoolean()).ToArray());
    }

    [Fact]
    public void ReconstructionOverlaysTheBeatAndItsReconstruction()
    {
        using var scope = NewDisposeScope();
        var beat = linspace(-1, 1, 10).unsqueeze(0);   // [1, 10]
        var reconstruction = beat * 0.5;
        var traces = ChartJson.Traces(BeatGanCharts.Reconstruction(beat, reconstruction, "normal beat"));
        Assert.Equal(2, traces.Count);
        Assert.Equal(-1.0, ChartJson.Doubles(traces[0].GetProperty("y"))[0], 6);
        Assert.Equal(-0.5, ChartJson.Doubles(traces[1].GetProperty("y"))[0], 6);
        Assert.Contains("normal beat", Plotly.NET.GenericChart.toJson(BeatGanCharts.Reconstruction(beat, reconstruction, "normal beat")));
        Assert.Throws<ArgumentException>(() => BeatGanCharts.Reconstruction(beat, zeros(1, 9), "t"));
        Assert.Throws<ArgumentException>(() => BeatGanCharts.Reconstruction(zeros(1, 1, 10), zeros(1, 1, 10), "t"));
    }

    [Fact]
    public void ScoreHistogramSplitsScoresByLabel()
    {
        double[] scores = [0.1, 0.9, 0.2, 0.8, 0.7];
        int[] labels = [0, 1, 0, 1, 1];
        var traces = ChartJson.Traces(BeatGanCharts.ScoreHistogram(scores, labels));
        Assert.Equal([0.1, 0.2], ChartJson.Doubles(traces[0].GetProperty("x")));
        Assert.Equal([0.9, 0.8, 0.7], ChartJson.Doubles(traces[1].GetProperty("x")));
        Assert.Throws<ArgumentException>(() => BeatGanCharts.ScoreHistogram(scores, [0, 1]));
    }

    [Fact]
    public void TheThresholdIsDrawnWhereItIs()
    {
        double[] scores = [0.1, 0.9, 0.2, 0.8, 0.7];
        int[] labels = [0, 1, 0, 1, 1];
        var layout = ChartJson.Figure(BeatGanCharts.ScoreHistogram(scores, labels, threshold: (0.45, "best-F1 threshold"))).GetProperty("layout");
        var line = Assert.Single(layout.GetProperty("shapes").EnumerateArray());
        Assert.Equal(0.45, line.GetProperty("x0").GetDouble());
        Assert.Equal(0.45, line.GetProperty("x1").GetDouble());
        Assert.Equal("paper", line.GetProperty("yref").GetString());
        Assert.Equal("best-F1 threshold: 0.45", Assert.Single(layout.GetProperty("annotations").EnumerateArray()).GetProperty("text").GetString());
        Assert.False(ChartJson.Figure(BeatGanCharts.ScoreHistogram(scores, labels)).GetProperty("layout").TryGetProperty("shapes", out _));
        Assert.Throws<ArgumentException>(() => BeatGanCharts.ScoreHistogram(scores, labels, threshold: (double.NaN, "t")));
    }

    [Fact]
    public void BadBeatInputsAreRefused()
    {
        using var scope = NewDisposeScope();
        Assert.Throws<ArgumentException>(() => BeatGanCharts.BeatsByLabel(zeros(3, 1, 8), [0, 1]));
        Assert.Throws<ArgumentException>(() => BeatGanCharts.BeatsByLabel(zeros(2, 1, 8), [2, 3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => BeatGanCharts.BeatsByLabel(zeros(2, 1, 8), [0, 1], maxPerClass: 0));
    }
}
