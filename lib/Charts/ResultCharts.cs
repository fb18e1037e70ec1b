using Distill.Training;
using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.TraceObjects;
using Chart = Plotly.NET.CSharp.Chart;

namespace Distill.Charts;

/// <summary>Charts of result tables: each method's test metrics as bars with ± one standard deviation over seeds, and
/// every seed's value as a dot on its bar.</summary>
/// <remarks>
/// The error bars are the sample standard deviation of <see cref="MeanStd"/>: the spread over seeds, not a confidence
/// interval of the mean. Two methods whose bars overlap by more than their error bars are not distinguishable by this many
/// seeds. A metric bounded by [0, 1] (AUC, AP, F1, accuracy: every value in [0, 1]) has its error bars clipped to that
/// interval, since no run can lie outside it. The dots show what a mean ± std hides: a bimodal result (some seeds never
/// learn, others do) has a wide error bar and no seed near its mean.
/// </remarks>
public static class ResultCharts
{
    /// <summary>Grouped bars: one group per method, one bar per metric, each with its standard deviation as an error bar
    /// and, where a row has the values of more than one seed, one dot per seed.</summary>
    /// <param name="rows">From <see cref="ResultSummary.ByMethod"/>.</param>
    /// <param name="metrics">Metrics to draw (each must be in every row).</param>
    /// <param name="title">Chart title.</param>
    /// <param name="yRange">Y-axis range; the default fits the bars (give e.g. (0.8, 1.0) to zoom on small differences).</param>
    public static GenericChart MethodBars(IReadOnlyList<ResultRow> rows, IReadOnlyList<string> metrics, string title = "Student test metrics",
                                          (double Min, double Max)? yRange = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(metrics);
        if (rows.Count == 0) throw new ArgumentException("No result rows: summarise some runs with ResultSummary.ByMethod first.", nameof(rows));
        if (metrics.Count == 0) throw new ArgumentException("Name at least one metric to draw (e.g. \"auc\").", nameof(metrics));
        foreach (var metric in metrics)
            foreach (var row in rows)
                if (!row.Metrics.ContainsKey(metric))
                    throw new ArgumentException(
                        $"Method '{row.Method}' has no metric '{metric}' (it has {string.Join(", ", row.Metrics.Keys)}); summarise the runs with that metric.",
                        nameof(metrics));

        string[] methods = rows.Select(r => r.Method).ToArray();
        var traces = new List<GenericChart>();
        foreach (var metric in metrics)
        {
            var summaries = rows.Select(r => r.Metrics[metric]).ToArray();
            var bar = Chart.Column<double, string, string>(summaries.Select(m => m.Mean), Keys: methods, Name: metric);
            bar = Plotly.NET.Chart.withYError(StandardDeviations(summaries)).Invoke(bar);
            traces.Add(InOffsetGroup(bar.WithTraceInfo(LegendGroup: metric), metric));
        }
        // Dots after all bars, each in its metric's offset group so that scattermode "group" puts it on its bar.
        bool firstDots = true;
        foreach (var metric in metrics)
        {
            var seeds = rows.SelectMany(r => SeedValues(r.Metrics[metric]).Select(v => (r.Method, Value: v))).ToArray();
            if (seeds.Length == 0) continue;
            traces.Add(InOffsetGroup(Chart.Point<string, double, string>(seeds.Select(s => s.Method), seeds.Select(s => s.Value),
                    Name: "one seed", ShowLegend: firstDots, MarkerColor: Color.fromString("rgba(20, 20, 20, 0.75)"))
                .WithTraceInfo(LegendGroup: "seeds"), metric));
            firstDots = false;
        }
        var chart = Chart.Combine(traces)
            .WithXAxisStyle<string, string, string>(TitleText: "method")
            .WithTitle(title)
            .FullWidth()
            .LegendBelow();
        ChartStyle.SetLayout(chart, "scattermode", "group");
        return yRange is { } range
            ? chart.WithYAxisStyle<double, double, string>(TitleText: "mean ± std over seeds", MinMax: Tuple.Create(range.Min, range.Max))
            : chart.WithYAxisStyle<double, double, string>(TitleText: "mean ± std over seeds");
    }

    private static GenericChart InOffsetGroup(GenericChart chart, string group)
    {
        foreach (var trace in GenericChart.getTraces(chart)) trace.SetProperty("offsetgroup", group);
        return chart;
    }

    private static IReadOnlyList<double> SeedValues(MeanStd summary) => summary.Values is { Count: > 1 } values ? values : [];

    private static Error StandardDeviations(IReadOnlyList<MeanStd> summaries)
    {
        // A metric whose every value lies in [0, 1] cannot have a run outside it: clip mean ± std to the interval.
        bool bounded = summaries.All(m => m.Mean is >= 0 and <= 1 && SeedValues(m).All(v => v is >= 0 and <= 1));
        double[] above = summaries.Select(m => bounded ? Math.Min(m.StandardDeviation, 1 - m.Mean) : m.StandardDeviation).ToArray();
        double[] below = summaries.Select(m => bounded ? Math.Min(m.StandardDeviation, m.Mean) : m.StandardDeviation).ToArray();
        // Error.init takes only F# options from C#; setting the properties directly reads better.
        var error = new Error();
        error.SetProperty("type", "data");
        error.SetProperty("symmetric", false);
        error.SetProperty("array", above);
        error.SetProperty("arrayminus", below);
        error.SetProperty("visible", true);
        return error;
    }
}
