using System.Globalization;
using Distill.Training;
using Plotly.NET;
using Plotly.NET.CSharp;
using Plotly.NET.TraceObjects;
using static TorchSharp.torch;
using Chart = Plotly.NET.CSharp.Chart;

namespace Distill.Charts;

/// <summary>Charts of notebook 02's dark knowledge: digit images beside the teacher's softened distribution, and a student's
/// accuracy against the temperature or the soft-target weight.</summary>
/// <remarks>Hinton, Vinyals &amp; Dean, "Distilling the Knowledge in a Neural Network", NIPS Deep Learning Workshop 2015,
/// Eq. 1: <c>q_i = exp(z_i / T) / Σ_j exp(z_j / T)</c>.</remarks>
public static class DarkKnowledgeCharts
{
    private static readonly string[] TemperatureColours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728"];

    /// <summary>One row per image: the 8×8 digit, and the teacher's probabilities of the ten classes at each temperature.</summary>
    /// <param name="images">Raw pixel rows, <c>side²</c> values each, row-major.</param>
    /// <param name="teacherLogits">The teacher's logits of the same images [N, C].</param>
    /// <param name="labels">Each image's true class, for the row titles.</param>
    /// <param name="temperatures">Temperatures drawn as grouped bars (default 1 and 4; at most four).</param>
    public static GenericChart DigitsAndSoftTargets(IReadOnlyList<float[]> images, Tensor teacherLogits, IReadOnlyList<int> labels,
                                                    IReadOnlyList<double>? temperatures = null)
    {
        temperatures ??= [1.0, 4.0];
        if (images.Count == 0 || images.Count != teacherLogits.shape[0] || images.Count != labels.Count)
            throw new ArgumentException($"Give one logit row and one label per image ({images.Count} images, " +
                                        $"{teacherLogits.shape[0]} logit rows, {labels.Count} labels).");
        if (temperatures.Count is 0 or > 4 || temperatures.Any(t => !(t > 0)))
            throw new ArgumentException("Give one to four positive temperatures (e.g. 1 and 4).", nameof(temperatures));
        int side = (int)Math.Round(Math.Sqrt(images[0].Length));
        if (side * side != images[0].Length)
            throw new ArgumentException($"An image has {images[0].Length} pixels, not a square number: pass whole images.", nameof(images));
        int classes = (int)teacherLogits.shape[1];
        var probabilities = temperatures.Select(t => Rows(nn.functional.softmax(teacherLogits.detach().cpu() / t, 1))).ToArray();
        string[] classNames = Enumerable.Range(0, classes).Select(c => $"{c}").ToArray();
        var panels = new List<GenericChart>();
        for (int i = 0; i < images.Count; i++)
        {
            // Heatmap rows grow upwards: reverse the image's rows so that the digit stands upright.
            var pixels = Enumerable.Range(0, side).Select(r => images[i].Skip((side - 1 - r) * side).Take(side).Select(v => (double)v).ToArray());
            panels.Add(Chart.Heatmap<double, int, int, string>(pixels.ToArray(), ShowScale: false, ReverseScale: true,
                                                                ColorScale: StyleParam.Colorscale.Greys));
            int row = i;
            panels.Add(Chart.Combine(temperatures.Select((t, k) => Chart.Column<double, string, string>(
                probabilities[k][row], Keys: classNames, Name: string.Create(CultureInfo.InvariantCulture, $"T = {t:G4}"),
                ShowLegend: row == 0, MarkerColor: Color.fromString(TemperatureColours[k])))));
        }
        var chart = Chart.Grid(panels, images.Count, 2,
            SubPlotTitles: labels.SelectMany(l => new[] { $"a test image of a {l}", "teacher's softmax(z / T) over the classes" })
                                 .ToArray());
        return chart.WithTitle("What the teacher says about each image, at T = 1 and softened")
                    .FullWidth(Math.Max(ChartStyle.DefaultHeight, 60 + 200 * images.Count)).LegendBelow();
    }

    /// <summary>Test accuracy (mean ± std over seeds, and each seed as a dot) against a swept setting.</summary>
    /// <param name="points">The sweep's summary, e.g. <c>KdSweep.Summary(runs, KdKnob.Temperature)</c>.</param>
    /// <param name="setting">Axis title of the swept setting.</param>
    /// <param name="title">Chart title.</param>
    /// <param name="logAxis">Whether the setting's axis is logarithmic (temperatures 1, 2, 4, 8, 16).</param>
    public static GenericChart AccuracyAgainst(IReadOnlyList<(double Value, MeanStd Accuracy)> points, string setting, string title,
                                               bool logAxis = false)
    {
        if (points.Count == 0) throw new ArgumentException("No points to draw: summarise a sweep first (KdSweep.Summary).", nameof(points));
        var mean = Chart.Line<double, double, string>(points.Select(p => p.Value), points.Select(p => p.Accuracy.Mean),
                                                      Name: "mean ± std over seeds", ShowMarkers: true);
        var error = new Error();
        error.SetProperty("type", "data");
        error.SetProperty("array", points.Select(p => p.Accuracy.StandardDeviation).ToArray());
        error.SetProperty("visible", true);
        mean = Plotly.NET.Chart.withYError(error).Invoke(mean);
        var seeds = points.SelectMany(p => p.Accuracy.Values.Select(v => (p.Value, v))).ToArray();
        var dots = Chart.Point<double, double, string>(seeds.Select(s => s.Value), seeds.Select(s => s.v), Name: "one seed",
                                                       MarkerColor: Color.fromString("rgba(20, 20, 20, 0.5)"));
        return Chart.Combine([mean, dots])
            .WithXAxisStyle<double, double, string>(TitleText: setting,
                                                    AxisType: logAxis ? StyleParam.AxisType.Log : StyleParam.AxisType.Linear)
            .WithYAxisStyle<double, double, string>(TitleText: "student test accuracy")
            .WithTitle(title).FullWidth().LegendBelow();
    }

    private static double[][] Rows(Tensor matrix)
    {
        var values = matrix.to_type(ScalarType.Float64).data<double>().ToArray();
        int columns = (int)matrix.shape[1];
        return Enumerable.Range(0, (int)matrix.shape[0]).Select(r => values.Skip(r * columns).Take(columns).ToArray()).ToArray();
    }
}
