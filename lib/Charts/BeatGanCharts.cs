using Plotly.NET;
using Plotly.NET.CSharp;
using static TorchSharp.torch;
using Chart = Plotly.NET.CSharp.Chart;

namespace Distill.Charts;

/// <summary>Charts of BeatGAN's anomaly detection: beats with their reconstructions, and anomaly-score histograms.</summary>
/// <remarks>Zhou et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019,
/// Figure 4 (input beats overlaid with their reconstructions) and the score distributions of normal and abnormal beats.</remarks>
public static class BeatGanCharts
{
    /// <summary>Beats [N, nc, L] drawn by label (lead 0): normal (0) in blue, abnormal (1) in red, at most <paramref name="maxPerClass"/> each.</summary>
    public static GenericChart BeatsByLabel(Tensor beats, IReadOnlyList<int> labels, int maxPerClass = 20)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (beats.dim() != 3 || beats.shape[0] != labels.Count)
            throw new ArgumentException($"Beats must be [N, nc, L] with one label each; got [{string.Join(", ", beats.shape)}] and {labels.Count} labels.");
        if (maxPerClass < 1) throw new ArgumentOutOfRangeException(nameof(maxPerClass), maxPerClass, "Draw at least one beat per class.");
        var traces = new List<GenericChart>();
        foreach (var (label, name, colour) in new[] { (0, "normal", ColorKeyword.SteelBlue), (1, "abnormal", ColorKeyword.Crimson) })
        {
            var chosen = Enumerable.Range(0, labels.Count).Where(i => labels[i] == label).Take(maxPerClass).ToArray();
            for (int k = 0; k < chosen.Length; k++)
            {
                var samples = Lead0(beats[chosen[k]], nameof(beats));
                // One legend entry per class toggles all its beats.
                traces.Add(Chart.Line<int, float, string>(Enumerable.Range(0, samples.Length), samples, Name: name, ShowLegend: k == 0,
                        LineColor: Color.fromKeyword(colour), Opacity: 0.4, LineWidth: 1.0)
                    .WithTraceInfo(LegendGroup: name));
            }
        }
        if (traces.Count == 0) throw new ArgumentException("No beat is labelled 0 or 1.", nameof(labels));
        return Chart.Combine(traces)
            .WithXAxisStyle<double, double, string>(TitleText: "sample (360 Hz, R peak at 140)")
            .WithYAxisStyle<double, double, string>(TitleText: "scaled amplitude")
            .WithTitle("Beats by class").FullWidth().LegendBelow();
    }

    /// <summary>One beat (solid) and its reconstruction (dashed), lead 0, against sample index.</summary>
    /// <param name="beat">The input beat [nc, L] or [L].</param>
    /// <param name="reconstruction">The generator's reconstruction, same shape.</param>
    /// <param name="title">Chart title (e.g. "normal beat, error 0.004").</param>
    public static GenericChart Reconstruction(Tensor beat, Tensor reconstruction, string title)
    {
        float[] x = Lead0(beat, nameof(beat)), r = Lead0(reconstruction, nameof(reconstruction));
        if (x.Length != r.Length)
            throw new ArgumentException($"The beat has {x.Length} samples and the reconstruction {r.Length}; pass the generator's output for this beat.");
        var t = Enumerable.Range(0, x.Length).ToArray();
        return Chart.Combine([
                Chart.Line<int, float, string>(t, x, Name: "beat x", LineColor: Color.fromKeyword(ColorKeyword.Black)),
                Chart.Line<int, float, string>(t, r, Name: "reconstruction G(x)", LineColor: Color.fromKeyword(ColorKeyword.OrangeRed),
                    LineDash: StyleParam.DrawingStyle.Dash),
            ])
            .WithXAxisStyle<double, double, string>(TitleText: "sample (360 Hz)")
            .WithYAxisStyle<double, double, string>(TitleText: "scaled amplitude")
            .WithTitle(title).FullWidth().LegendBelow();
    }

    /// <summary>Overlaid histograms of anomaly scores of normal (label 0) and abnormal (label 1) beats, with the decision
    /// threshold drawn as a dashed vertical line when one is given (beats to its right are called abnormal).</summary>
    /// <param name="scores">One anomaly score per beat.</param>
    /// <param name="labels">0 normal, 1 abnormal, one per score.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="threshold">The threshold and how it was chosen, e.g. <c>(0.31, "best-F1 threshold on the validation beats")</c>.</param>
    public static GenericChart ScoreHistogram(IReadOnlyList<double> scores, IReadOnlyList<int> labels, string title = "Anomaly scores",
                                              (double Value, string Label)? threshold = null)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Count != labels.Count || scores.Count == 0)
            throw new ArgumentException($"Give one label per score ({scores.Count} scores, {labels.Count} labels), at least one beat.");
        GenericChart Class(int label, string name, ColorKeyword colour) =>
            Chart.Histogram<double, double, string>(
                X: scores.Where((_, i) => labels[i] == label).ToArray(), Name: name, Opacity: 0.6,
                MarkerColor: Color.fromKeyword(colour), NBinsX: 20);
        var chart = Chart.Combine([Class(0, "normal", ColorKeyword.SteelBlue), Class(1, "abnormal", ColorKeyword.Crimson)])
            .WithXAxisStyle<double, double, string>(TitleText: "anomaly score (min-max normalised error)")
            .WithYAxisStyle<double, double, string>(TitleText: "beats")
            .WithTitle(title)
            .FullWidth()
            .LegendBelow();
        ChartStyle.SetLayout(chart, "barmode", "overlay");
        if (threshold is not { } t) return chart;
        if (!double.IsFinite(t.Value)) throw new ArgumentException($"The threshold must be finite (got {t.Value}).", nameof(threshold));
        ChartStyle.SetLayout(chart, "shapes", new[] { ChartStyle.Properties(
            ("type", "line"), ("xref", "x"), ("yref", "paper"), ("x0", t.Value), ("x1", t.Value), ("y0", 0.0), ("y1", 1.0),
            ("line", ChartStyle.Properties(("color", "#333"), ("width", 2), ("dash", "dash")))) });
        return ChartStyle.SetLayout(chart, "annotations", new[] { ChartStyle.Properties(
            ("x", t.Value), ("xref", "x"), ("y", 1.0), ("yref", "paper"), ("xanchor", "left"), ("yanchor", "bottom"), ("showarrow", false),
            ("text", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Label}: {t.Value:G4}"))) });
    }

    private static float[] Lead0(Tensor beat, string name)
    {
        var lead = beat.dim() switch
        {
            1 => beat,
            2 => beat[0],
            _ => throw new ArgumentException($"{name} must be one beat [nc, L] or [L], got [{string.Join(", ", beat.shape)}].", name),
        };
        return lead.detach().cpu().to_type(ScalarType.Float32).data<float>().ToArray();
    }
}
