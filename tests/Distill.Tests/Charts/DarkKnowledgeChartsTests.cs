using Distill.Charts;
using Distill.Training;
using static Distill.Tests.Charts.ChartJson;
using static TorchSharp.torch;

namespace Distill.Tests.Charts;

/// <summary>The digits-and-soft-targets chart and the accuracy-against-setting chart hold the right numbers.</summary>
public sealed class DarkKnowledgeChartsTests
{
    [Fact]
    public void EachImageStandsUprightBesideItsSoftmaxAtEachTemperature()
    {
        float[] image = Enumerable.Range(0, 4).Select(i => (float)i).ToArray();             // 2x2: rows [0, 1], [2, 3]
        var logits = tensor(new float[,] { { 2, 0, -1 } });
        var traces = Traces(DarkKnowledgeCharts.DigitsAndSoftTargets([image], logits, [7], [1.0, 4.0]));
        var heatmap = traces.Single(t => t.GetProperty("type").GetString() == "heatmap");
        var z = heatmap.GetProperty("z").EnumerateArray().Select(Doubles).ToArray();
        Assert.Equal([[2.0, 3.0], [0.0, 1.0]], z);                                           // bottom row first: upright
        var bars = traces.Where(t => t.GetProperty("type").GetString() == "bar").ToArray();
        Assert.Equal(["T = 1", "T = 4"], bars.Select(b => b.GetProperty("name").GetString()));
        double sum = Math.Exp(2) + 1 + Math.Exp(-1);
        Assert.Equal(Math.Exp(2) / sum, Doubles(bars[0].GetProperty("y"))[0], 6);
        double soft = Math.Exp(0.5) + 1 + Math.Exp(-0.25);
        Assert.Equal(Math.Exp(-0.25) / soft, Doubles(bars[1].GetProperty("y"))[2], 6);
    }

    [Fact]
    public void MismatchedImagesLogitsOrLabelsAreRefused()
    {
        float[] image = new float[4];
        Assert.Throws<ArgumentException>(() => DarkKnowledgeCharts.DigitsAndSoftTargets([image], zeros(2, 3), [1]));
        Assert.Throws<ArgumentException>(() => DarkKnowledgeCharts.DigitsAndSoftTargets([new float[5]], zeros(1, 3), [1]));
        Assert.Throws<ArgumentException>(() => DarkKnowledgeCharts.DigitsAndSoftTargets([image], zeros(1, 3), [1], [0.0]));
    }

    [Fact]
    public void AccuracyAgainstASettingDrawsTheMeansErrorBarsAndSeeds()
    {
        var points = new[] { (1.0, MeanStd.Of([0.8, 0.9])), (4.0, MeanStd.Of([0.9, 0.95])) };
        var traces = Traces(DarkKnowledgeCharts.AccuracyAgainst(points, "T", "title", logAxis: true));
        Assert.Equal([1.0, 4.0], Doubles(traces[0].GetProperty("x")));
        Assert.Equal(0.85, Doubles(traces[0].GetProperty("y"))[0], 12);
        Assert.Equal(points.Select(p => p.Item2.StandardDeviation), Doubles(traces[0].GetProperty("error_y").GetProperty("array")));
        Assert.Equal([0.8, 0.9, 0.9, 0.95], Doubles(traces[1].GetProperty("y")));
        Assert.Throws<ArgumentException>(() => DarkKnowledgeCharts.AccuracyAgainst([], "T", "title"));
    }
}
