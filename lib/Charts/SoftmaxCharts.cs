using System.Globalization;
using Distill.Distillation;
using Distill.Losses;
using Distill.Models;
using Plotly.NET;
using Plotly.NET.CSharp;
using static TorchSharp.torch;
using Chart = Plotly.NET.CSharp.Chart;

namespace Distill.Charts;

/// <summary>Charts of temperature-softened probabilities and of the two soft-target losses of notebook 02.</summary>
/// <remarks>
/// Hinton, Vinyals, Dean, "Distilling the Knowledge in a Neural Network", NIPS Deep Learning Workshop 2015, Eq. 1:
/// <c>q_i = exp(z_i / T) / Σ_j exp(z_j / T)</c>. As <c>T</c> grows the distribution flattens towards uniform and the
/// small probabilities of the wrong classes (the "dark knowledge") become visible.
/// </remarks>
public static class SoftmaxCharts
{
    /// <summary>The probability of each class of fixed logits as the temperature grows (log temperature axis).</summary>
    /// <param name="logits">One example's logits, at least two.</param>
    /// <param name="temperatures">Temperatures to evaluate, all finite and positive.</param>
    /// <param name="classNames">Legend names (default "class 0", "class 1", ...).</param>
    /// <param name="marked">Temperatures marked by a dotted vertical line (default T = 1, the plain softmax, and T = 4,
    /// a usual choice for KD); those outside the drawn range are left out.</param>
    /// <remarks>The log axis is ticked at the powers of two in range (0.5, 1, 2, 4, ...), which read as temperatures.</remarks>
    public static GenericChart TemperatureCurves(IReadOnlyList<double> logits, IReadOnlyList<double> temperatures,
                                                 IReadOnlyList<string>? classNames = null, IReadOnlyList<double>? marked = null)
    {
        ArgumentNullException.ThrowIfNull(logits);
        ArgumentNullException.ThrowIfNull(temperatures);
        if (logits.Count < 2 || logits.Any(z => !double.IsFinite(z)))
            throw new ArgumentException($"Give at least two finite logits (got {logits.Count}): a softmax over one logit is always 1.", nameof(logits));
        if (temperatures.Count == 0 || temperatures.Any(t => !double.IsFinite(t) || t <= 0))
            throw new ArgumentException("Give at least one temperature, all finite and positive (e.g. 0.5 to 20).", nameof(temperatures));
        if (classNames is not null && classNames.Count != logits.Count)
            throw new ArgumentException($"{classNames.Count} class names for {logits.Count} logits: give one name per logit.", nameof(classNames));

        var probabilities = temperatures.Select(t => Softmax(logits, t)).ToArray();   // [T, C]
        var traces = Enumerable.Range(0, logits.Count).Select(c => Chart.Line<double, double, string>(
            temperatures, probabilities.Select(p => p[c]),
            Name: classNames?[c] ?? Invariant($"class {c} (z = {logits[c]:G3})")));
        double lowest = temperatures.Min(), highest = temperatures.Max();
        var chart = Chart.Combine(traces)
            .WithXAxisStyle<double, double, string>(TitleText: "temperature T", AxisType: StyleParam.AxisType.Log)
            .WithYAxisStyle<double, double, string>(TitleText: "softmax(z / T)", MinMax: Tuple.Create(0.0, 1.0))
            .WithTitle("Softening the teacher's probabilities with the temperature")
            .FullWidth().LegendBelow();
        var ticks = Enumerable.Range((int)Math.Floor(Math.Log2(lowest)), (int)Math.Ceiling(Math.Log2(highest)) - (int)Math.Floor(Math.Log2(lowest)) + 1)
            .Select(k => Math.Pow(2, k)).Where(t => t >= lowest && t <= highest).ToArray();
        if (ticks.Length >= 2)
        {
            var xAxis = (DynamicObj.DynamicObj)GenericChart.getLayout(chart).GetPropertyValue("xaxis");
            xAxis.SetProperty("tickvals", ticks);
            xAxis.SetProperty("ticktext", ticks.Select(t => Invariant($"{t:G4}")).ToArray());
        }
        var marks = (marked ?? [1.0, 4.0]).Where(t => t >= lowest && t <= highest).ToArray();
        // On a log axis plotly.js places shapes at data values but annotations at log10 of the value.
        ChartStyle.SetLayout(chart, "shapes", marks.Select(t => ChartStyle.Properties(
            ("type", "line"), ("xref", "x"), ("yref", "paper"), ("x0", t), ("x1", t), ("y0", 0.0), ("y1", 1.0),
            ("line", ChartStyle.Properties(("color", "#555"), ("width", 1), ("dash", "dot"))))).ToArray());
        return ChartStyle.SetLayout(chart, "annotations", marks.Select(t => ChartStyle.Properties(
            ("x", Math.Log10(t)), ("xref", "x"), ("y", 1.0), ("yref", "paper"), ("yanchor", "bottom"), ("showarrow", false),
            ("text", Invariant($"T = {t:G4}")))).ToArray());
    }

    /// <summary>The temperature-softened probabilities <c>softmax(z / T)</c> of one example.</summary>
    public static double[] Softmax(IReadOnlyList<double> logits, double temperature)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (logits.Count == 0) throw new ArgumentException("Give at least one logit.", nameof(logits));
        if (!double.IsFinite(temperature) || temperature <= 0)
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be finite and positive (e.g. 1 to 20).");
        double max = logits.Max();
        // Subtracting the largest logit keeps exp from overflowing; it cancels in the ratio.
        double[] e = logits.Select(z => Math.Exp((z - max) / temperature)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }

    /// <summary>Hinton's KD (KL) and the soft-target cross-entropy along a straight path of student logits towards the teacher's.</summary>
    /// <remarks>
    /// The student's logits are <c>z_s(α) = (1 − α) z_s + α z_t</c> for <c>α</c> from 0 to 1. Both losses use the same
    /// temperature and the same <c>T²</c> factor, so at every point
    /// <c>L_CE − L_KD = T² · mean_b H(p_t^T)</c>, the teacher's entropy: the curves are the same curve shifted, and only the
    /// KL reaches 0 when the student copies the teacher. The dashed line is that entropy.
    /// </remarks>
    /// <param name="studentLogits">Starting student logits <c>[B, C]</c>.</param>
    /// <param name="teacherLogits">Teacher logits <c>[B, C]</c>.</param>
    /// <param name="temperature">Temperature of both losses.</param>
    /// <param name="steps">Number of points on the path (at least 2).</param>
    public static GenericChart KlVersusCrossEntropy(Tensor studentLogits, Tensor teacherLogits, double temperature = 4.0, int steps = 21)
    {
        if (steps < 2) throw new ArgumentOutOfRangeException(nameof(steps), steps, "The path needs at least 2 points.");
        var kd = new KnowledgeDistillationLoss(temperature);
        var crossEntropy = new NegativeSoftTargetCrossEntropyLoss(temperature);
        double[] alphas = Enumerable.Range(0, steps).Select(i => (double)i / (steps - 1)).ToArray();
        var kl = new double[steps];
        var ce = new double[steps];
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var teacher = Outputs(teacherLogits);
            for (int i = 0; i < steps; i++)
            {
                var context = new DistillationContext(Outputs(studentLogits * (1 - alphas[i]) + teacherLogits * alphas[i]), teacher,
                                                      zeros(studentLogits.shape[0], dtype: ScalarType.Int64, device: studentLogits.device));
                kl[i] = kd.Compute(context).item<float>();
                ce[i] = crossEntropy.Compute(context).item<float>();
            }
        }
        double entropy = ce[^1] - kl[^1];   // at α = 1 the KL is 0, so this is T² · mean H(p_t)
        return Chart.Combine(
            [
                Chart.Line<double, double, string>(alphas, kl, Name: "KD: T² · KL(p_t ‖ p_s)"),
                Chart.Line<double, double, string>(alphas, ce, Name: "soft-target CE: −T² · Σ p_t log p_s"),
                Chart.Line<double, double, string>([0.0, 1.0], [entropy, entropy], Name: Invariant($"T² · H(p_t) = {entropy:F3}"),
                                                   LineDash: StyleParam.DrawingStyle.Dash, LineColor: Color.fromString("gray")),
            ])
            .WithXAxisStyle<double, double, string>(TitleText: "α: student logits (1 − α) z_s + α z_t")
            .WithYAxisStyle<double, double, string>(TitleText: Invariant($"loss (T = {temperature:G3})"))
            .WithTitle("The two soft-target losses differ by a constant").FullWidth().LegendBelow();
    }

    private static FeatureOutput Outputs(Tensor logits) => new(logits, [], []);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
