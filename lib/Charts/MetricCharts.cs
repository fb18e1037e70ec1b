using System.Globalization;
using Distill.Metrics;
using Plotly.NET;
using Chart = Plotly.NET.CSharp.Chart;
using Plotly.NET.CSharp;

namespace Distill.Charts;

/// <summary>Plotly.NET charts of ROC and precision-recall curves, with the area in each legend entry and a chance baseline.</summary>
/// <remarks>
/// The curves come from <see cref="BinaryMetrics"/>; the legend's AUC (trapezoid) and AP (step sum) are computed from the
/// plotted points exactly as <see cref="BinaryMetrics.RocAuc"/> and <see cref="BinaryMetrics.AveragePrecision"/> do.
/// Hovering a point shows its threshold. The PR curve is drawn as steps (Plotly's "hv" shape), the shape whose area AP
/// is; straight lines between PR points would overstate it (Davis and Goadrich, "The Relationship Between
/// Precision-Recall and ROC Curves", ICML 2006).
/// </remarks>
public static class MetricCharts
{
    /// <summary>One ROC curve, its AUC in the legend, with the chance diagonal.</summary>
    /// <param name="curve">From <see cref="BinaryMetrics.Roc"/>.</param>
    /// <param name="name">Legend name of the model or score.</param>
    public static GenericChart Roc(RocCurve curve, string name) => Roc([(name, curve)]);

    /// <summary>Several ROC curves on one chart (e.g. teacher vs student), each with its AUC, plus the chance diagonal.</summary>
    /// <param name="curves">Legend names and curves from <see cref="BinaryMetrics.Roc"/>.</param>
    public static GenericChart Roc(IEnumerable<(string Name, RocCurve Curve)> curves)
    {
        var list = Materialize(curves, "ROC");
        var traces = new List<GenericChart>();
        foreach (var (name, curve) in list)
        {
            RequireNonEmpty(name, curve.FalsePositiveRate.Length);
            RequireSameLength(name, "false positive rates", curve.FalsePositiveRate.Length, "true positive rates", curve.TruePositiveRate.Length);
            RequireSameLength(name, "ROC points", curve.FalsePositiveRate.Length, "thresholds", curve.Thresholds.Length);
            traces.Add(Chart.Line<double, double, string>(
                curve.FalsePositiveRate, curve.TruePositiveRate,
                Name: Invariant($"{name} (AUC = {CurveArea.Trapezoid(curve):F3})"),
                MultiText: curve.Thresholds.Select(t => Invariant($"threshold {t:G6}")).ToArray()));
        }
        // A score unrelated to the label gets TPR = FPR at every threshold: the diagonal, AUC 0.5.
        traces.Add(Chart.Line<double, double, string>(
            [0.0, 1.0], [0.0, 1.0], Name: "chance (AUC = 0.500)",
            LineDash: StyleParam.DrawingStyle.Dash, LineColor: Color.fromString("gray")));
        // Any useful score leaves the lower right corner empty: the legend goes there and takes no width from the plot.
        return Styled(traces, "ROC curve", "False positive rate", "True positive rate").LegendInsideBottomRight();
    }

    /// <summary>One precision-recall curve, its average precision in the legend, with the chance level (the prevalence).</summary>
    /// <param name="curve">From <see cref="BinaryMetrics.PrecisionRecall"/>.</param>
    /// <param name="name">Legend name of the model or score.</param>
    public static GenericChart PrecisionRecall(PrecisionRecallCurve curve, string name) => PrecisionRecall([(name, curve)]);

    /// <summary>Several precision-recall curves on one chart, each with its AP, plus one chance line per distinct prevalence.</summary>
    /// <param name="curves">Legend names and curves from <see cref="BinaryMetrics.PrecisionRecall"/>.</param>
    public static GenericChart PrecisionRecall(IEnumerable<(string Name, PrecisionRecallCurve Curve)> curves)
    {
        var list = Materialize(curves, "precision-recall");
        var traces = new List<GenericChart>();
        foreach (var (name, curve) in list)
        {
            RequireNonEmpty(name, curve.Precision.Length);
            RequireSameLength(name, "precisions", curve.Precision.Length, "recalls", curve.Recall.Length);
            RequireSameLength(name, "thresholds + 1", curve.Thresholds.Length + 1, "PR points", curve.Precision.Length);
            traces.Add(Chart.Line<double, double, string>(
                curve.Recall, curve.Precision,
                Name: Invariant($"{name} (AP = {CurveArea.Step(curve):F3})"),
                // The final (recall 0, precision 1) point has no threshold: nothing is predicted positive there.
                MultiText: curve.Thresholds.Select(t => Invariant($"threshold {t:G6}")).Append("no threshold").ToArray(),
                Line: StepLine()));
        }
        // Precision[0] is at the lowest threshold, where everything is predicted positive: P / (P + N), what a random score gets.
        foreach (double prevalence in list.Select(c => c.Curve.Precision[0]).Distinct())
            traces.Add(Chart.Line<double, double, string>(
                [0.0, 1.0], [prevalence, prevalence], Name: Invariant($"chance (AP = {prevalence:F3})"),
                LineDash: StyleParam.DrawingStyle.Dash, LineColor: Color.fromString("gray")));
        return Styled(traces, "Precision-recall curve", "Recall", "Precision").LegendBelow();
    }

    private static List<(string Name, T Curve)> Materialize<T>(IEnumerable<(string Name, T Curve)> curves, string kind)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var list = curves.ToList();
        if (list.Count == 0)
            throw new ArgumentException($"no {kind} curves given: pass at least one (name, curve) pair.", nameof(curves));
        foreach (var (name, curve) in list)
            if (curve is null)
                throw new ArgumentException($"the {kind} curve named '{name}' is null: pass the curve BinaryMetrics returned.", nameof(curves));
        return list;
    }

    private static void RequireNonEmpty(string name, int count)
    {
        if (count == 0)
            throw new ArgumentException($"curve '{name}' has no points: build curves with BinaryMetrics rather than by hand.");
    }

    private static void RequireSameLength(string name, string what, int count, string other, int otherCount)
    {
        if (count != otherCount)
            throw new ArgumentException(
                $"curve '{name}' has {count} {what} but {otherCount} {other}: build curves with BinaryMetrics rather than by hand.");
    }

    private static GenericChart Styled(List<GenericChart> traces, string title, string xTitle, string yTitle)
    {
        var chart = Chart.Combine(traces)
            .WithXAxisStyle<double, double, string>(TitleText: xTitle, MinMax: Tuple.Create(-0.02, 1.02))
            .WithYAxisStyle<double, double, string>(TitleText: yTitle, MinMax: Tuple.Create(-0.02, 1.05));
        return chart.WithTitle(title).FullWidth();
    }

    private static Line StepLine()
    {
        // Line.init takes only F# options from C#; setting the one property directly reads better.
        var line = new Line();
        line.SetProperty("shape", StyleParam.Shape.Hv.Convert());
        return line;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
