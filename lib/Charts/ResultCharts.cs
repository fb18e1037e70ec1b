using Distill.Training;
using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.TraceObjects;
using Chart = Plotly.NET.CSharp.Chart;

namespace Distill.Charts;

/// <summary>Charts of result tables: each method's test metrics as bars with ± one standard deviation over seeds.</summary>
/// <remarks>
/// The error bars are the sample standard deviation of <see cref="MeanStd"/>: the spread over seeds, not a confidence
/// interval of the mean. Two methods whose bars overlap by more than their error bars are not distinguishable by this many seeds.
/// </remarks>
public static class ResultCharts
{
    /// <summary>Grouped bars: one group per method, one bar per metric, each with its standard deviation as an error bar.</summary>
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
        var bars = metrics.Select(metric =>
        {
            var bar = Chart.Column<double, string, string>(rows.Select(r => r.Metrics[metric].Mean), Keys: methods, Name: metric);
            return Plotly.NET.Chart.withYError(StandardDeviations(rows.Select(r => r.Metrics[metric].StandardDeviation))).Invoke(bar);
        });
        var chart = Chart.Combine(bars)
            .WithXAxisStyle<string, string, string>(TitleText: "method")
            .WithTitle(title);
        return yRange is { } range
            ? chart.WithYAxisStyle<double, double, string>(TitleText: "mean ± std over seeds", MinMax: Tuple.Create(range.Min, range.Max))
            : chart.WithYAxisStyle<double, double, string>(TitleText: "mean ± std over seeds");
    }

    private static Error StandardDeviations(IEnumerable<double> values)
    {
        // Error.init takes only F# options from C#; setting the three properties directly reads better.
        var error = new Error();
        error.SetProperty("type", "data");
        error.SetProperty("array", values.ToArray());
        error.SetProperty("visible", true);
        return error;
    }
}
