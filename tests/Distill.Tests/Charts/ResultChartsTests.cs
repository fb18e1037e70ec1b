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

    [Fact]
    public void OneBarTracePerMetricWithMeansAndStandardDeviations()
    {
        var traces = Traces(ResultCharts.MethodBars(Rows, ["auc", "f1"]));
        Assert.Equal(["auc", "f1"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.All(traces, t => Assert.Equal("bar", t.GetProperty("type").GetString()));
        Assert.All(traces, t => Assert.Equal(["None", "Kd"], Strings(t.GetProperty("x"))));
        double[] auc = Doubles(traces[0].GetProperty("y"));
        Assert.Equal(0.92, auc[0], 12);
        Assert.Equal(0.96, auc[1], 12);
        var error = traces[0].GetProperty("error_y");
        Assert.Equal("data", error.GetProperty("type").GetString());
        double[] std = Doubles(error.GetProperty("array"));
        Assert.Equal(Math.Sqrt(0.0008), std[0], 12);   // two values 0.02 from their mean: (2 · 0.0004) / (2 − 1)
        Assert.Equal(0.01, std[1], 12);
        Assert.Equal([0.0, 0.0], Doubles(traces[1].GetProperty("error_y").GetProperty("array")));
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
