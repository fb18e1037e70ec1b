using Distill.Charts;
using Distill.Training;
using static Distill.Tests.Charts.ChartJson;

namespace Distill.Tests.Charts;

/// <summary>The result bar chart holds each method's mean as a bar and its standard deviation as an error bar.</summary>
public sealed class ResultChartsTests
{
    private static readonly IReadOnlyList<ResultRow> Rows =
    [
        new("None", new Dictionary<string, MeanStd> { ["auc"] = MeanStd.Of([0.90, 0.94]), ["f1"] = MeanStd.Of([0.8, 0.8]) }),
        new("Kd", new Dictionary<string, MeanStd> { ["auc"] = MeanStd.Of([0.95, 0.97, 0.96]), ["f1"] = MeanStd.Of([0.85]) }),
    ];

    private static List<System.Text.Json.JsonElement> Bars(Plotly.NET.GenericChart chart) =>
        Traces(chart).Where(t => t.GetProperty("type").GetString() == "bar").ToList();

    [Fact]
    public void OneBarTracePerMetricWithMeansAndStandardDeviations()
    {
        var traces = Bars(ResultCharts.MethodBars(Rows, ["auc", "f1"]));
        Assert.Equal(["auc", "f1"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.All(traces, t => Assert.Equal(["None", "Kd"], Strings(t.GetProperty("x"))));
        double[] auc = Doubles(traces[0].GetProperty("y"));
        Assert.Equal(0.92, auc[0], 12);
        Assert.Equal(0.96, auc[1], 12);
        var error = traces[0].GetProperty("error_y");
        Assert.Equal("data", error.GetProperty("type").GetString());
        double[] std = Doubles(error.GetProperty("array"));
        Assert.Equal(Math.Sqrt(0.0008), std[0], 12);   // two values 0.02 from their mean: (2 · 0.0004) / (2 − 1)
        Assert.Equal(0.01, std[1], 12);
        Assert.Equal(std, Doubles(error.GetProperty("arrayminus")));   // far from 0 and 1: not clipped
        Assert.Equal([0.0, 0.0], Doubles(traces[1].GetProperty("error_y").GetProperty("array")));
    }

    [Fact]
    public void ErrorBarsOfMetricsInZeroToOneAreClippedToThatInterval()
    {
        IReadOnlyList<ResultRow> rows =
        [
            new("None", new Dictionary<string, MeanStd> { ["auc"] = MeanStd.Of([0.99, 1.0, 0.97]) }),   // mean 0.9867, std 0.0153
            new("Bad", new Dictionary<string, MeanStd> { ["auc"] = MeanStd.Of([0.0, 0.3]) }),          // mean 0.15, std 0.2121
        ];
        var error = Bars(ResultCharts.MethodBars(rows, ["auc"]))[0].GetProperty("error_y");
        double[] above = Doubles(error.GetProperty("array")), below = Doubles(error.GetProperty("arrayminus"));
        Assert.False(error.GetProperty("symmetric").GetBoolean());
        Assert.Equal(1 - 0.98666666666666667, above[0], 12);   // clipped at 1
        Assert.Equal(rows[0].Metrics["auc"].StandardDeviation, below[0], 12);
        Assert.Equal(rows[1].Metrics["auc"].StandardDeviation, above[1], 12);
        Assert.Equal(0.15, below[1], 12);                      // clipped at 0
        // A quantity that is not bounded by [0, 1] keeps symmetric bars.
        IReadOnlyList<ResultRow> losses = [new("None", new Dictionary<string, MeanStd> { ["loss"] = MeanStd.Of([1.5, 2.5]) })];
        var lossError = Bars(ResultCharts.MethodBars(losses, ["loss"]))[0].GetProperty("error_y");
        Assert.Equal(Doubles(lossError.GetProperty("array")), Doubles(lossError.GetProperty("arrayminus")));
    }

    [Fact]
    public void EverySeedIsADotOnItsBar()
    {
        var chart = ResultCharts.MethodBars(Rows, ["auc", "f1"]);
        var dots = Traces(chart).Where(t => t.GetProperty("type").GetString() == "scatter").ToList();
        Assert.Equal(2, dots.Count);   // one trace of dots per metric
        Assert.Equal(["None", "None", "Kd", "Kd", "Kd"], Strings(dots[0].GetProperty("x")));
        Assert.Equal([0.90, 0.94, 0.95, 0.97, 0.96], Doubles(dots[0].GetProperty("y")));
        Assert.Equal(["None", "None"], Strings(dots[1].GetProperty("x")));   // Kd's f1 has one seed: no dot
        Assert.Equal("auc", dots[0].GetProperty("offsetgroup").GetString());
        Assert.Equal("auc", Bars(chart)[0].GetProperty("offsetgroup").GetString());
        Assert.Equal("group", Figure(chart).GetProperty("layout").GetProperty("scattermode").GetString());
    }

    [Fact]
    public void TheYRangeCanZoomOnSmallDifferences()
    {
        string layout = Figure(ResultCharts.MethodBars(Rows, ["auc"], "zoomed", (0.8, 1.0))).GetProperty("layout").GetRawText();
        Assert.Contains("0.8", layout);
        Assert.Contains("zoomed", layout);
    }

    [Fact]
    public void MissingMetricsAndEmptyTablesAreRejected()
    {
        Assert.Contains("no metric 'ap'", Assert.Throws<ArgumentException>(() => ResultCharts.MethodBars(Rows, ["ap"])).Message);
        Assert.Contains("No result rows", Assert.Throws<ArgumentException>(() => ResultCharts.MethodBars([], ["auc"])).Message);
        Assert.Contains("at least one metric", Assert.Throws<ArgumentException>(() => ResultCharts.MethodBars(Rows, [])).Message);
    }
}
