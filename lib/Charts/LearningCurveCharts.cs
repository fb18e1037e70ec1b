using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Distill.Charts;

/// <summary>A figure against training steps, one line per run, on a log step axis, with reference results drawn where
/// their budget lies: how far a run on this machine got towards a reported result, and whether two implementations
/// behave alike at equal budget.</summary>
public static class LearningCurveCharts
{
    /// <summary>One line (with markers) per curve; each reference is a marker at its budget plus a dotted horizontal line
    /// across the plot at its value, so a curve can be read against it at any step.</summary>
    /// <param name="curves">Named curves of (steps, value) points, at least one point each, steps positive.</param>
    /// <param name="figure">The y axis title, e.g. "test ROC AUC".</param>
    /// <param name="references">Reported results: name, the steps they took, and the value.</param>
    /// <param name="title">Chart title.</param>
    public static GenericChart AgainstSteps(IReadOnlyList<(string Name, IReadOnlyList<(long Steps, double Value)> Points)> curves, string figure,
                                            IReadOnlyList<(string Name, long Steps, double Value)> references, string title)
    {
        ArgumentNullException.ThrowIfNull(curves);
        ArgumentNullException.ThrowIfNull(references);
        if (curves.Count == 0) throw new ArgumentException("Give at least one curve (e.g. a teacher's epochs from beatgan-history.csv).", nameof(curves));
        foreach (var (name, points) in curves)
            if (points.Count == 0 || points.Any(p => p.Steps <= 0 || !double.IsFinite(p.Value)))
                throw new ArgumentException($"Curve '{name}' needs at least one point, every step count positive and every value finite.", nameof(curves));
        if (references.Any(r => r.Steps <= 0 || !double.IsFinite(r.Value)))
            throw new ArgumentException("Every reference needs a positive step count and a finite value.", nameof(references));

        var traces = curves.Select(c => Chart.Line<long, double, string>(c.Points.Select(p => p.Steps), c.Points.Select(p => p.Value),
                                                                          Name: c.Name, ShowMarkers: true)).ToList();
        traces.AddRange(references.Select(r => Chart.Point<long, double, string>([r.Steps], [r.Value], Name: r.Name,
            MarkerSymbol: StyleParam.MarkerSymbol.Star)));
        var chart = Chart.Combine(traces)
            .WithXAxisStyle<long, long, string>(TitleText: "training steps (batches of 64), log scale", AxisType: StyleParam.AxisType.Log)
            .WithYAxisStyle<double, double, string>(TitleText: figure)
            .WithTitle(title)
            .FullWidth()
            .LegendBelow();
        ChartStyle.SetLayout(chart, "shapes", references.Select(r => ChartStyle.Properties(
            ("type", "line"), ("xref", "paper"), ("yref", "y"), ("x0", 0.0), ("x1", 1.0), ("y0", r.Value), ("y1", r.Value),
            ("line", ChartStyle.Properties(("color", "#777"), ("width", 1), ("dash", "dot"))))).ToArray());
        return chart;
    }
}
