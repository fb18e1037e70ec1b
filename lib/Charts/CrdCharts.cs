using System.Globalization;
using Distill.Losses.Crd;
using Distill.Training;
using Plotly.NET;
using Plotly.NET.CSharp;
using static TorchSharp.torch;
using Chart = Plotly.NET.CSharp.Chart;

namespace Distill.Charts;

/// <summary>Charts of Contrastive Representation Distillation: loss terms of several students, Z over steps, and the
/// student's and teacher's embeddings projected to a plane.</summary>
/// <remarks>Tian, Krishnan &amp; Isola, "Contrastive Representation Distillation", ICLR 2020.</remarks>
public static class CrdCharts
{
    private static readonly string[] Palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];

    /// <summary>Every unweighted training term of every run per epoch, on a log axis (CRD's term is an order of magnitude above the task's).</summary>
    /// <param name="runs">Legend prefix and history of each run, e.g. ("CRD", history), ("CRD+KD", history).</param>
    /// <param name="title">Chart title.</param>
    public static GenericChart Terms(IEnumerable<(string Run, IReadOnlyList<EpochRecord> History)> runs, string title = "Loss terms")
    {
        var list = NonEmpty(runs, "runs");
        var traces = new List<GenericChart>();
        foreach (var (run, history) in list)
        {
            if (history.Count == 0) throw new ArgumentException($"The run '{run}' has no epochs to chart.", nameof(runs));
            var epochs = history.Select(r => r.Epoch).ToArray();
            traces.AddRange(history[0].TrainTerms.Keys.Select(name =>
                Chart.Line<int, double, string>(epochs, history.Select(r => r.TrainTerms[name]), Name: $"{run}: {name}")));
        }
        return Chart.Combine(traces)
            .WithXAxisStyle<int, int, string>(TitleText: "epoch")
            .WithYAxisStyle<double, double, string>(TitleText: "mean term value (unweighted)", AxisType: StyleParam.AxisType.Log)
            .WithTitle(title).FullWidth().LegendBelow()
            .WholeNumberXTicks(list.Min(r => r.History[0].Epoch), list.Max(r => r.History.Count));
    }

    /// <summary>Z of both views after every step, one pair of lines (solid student view, dashed teacher view) per run.</summary>
    /// <param name="runs">Legend prefix and Z history of each run, e.g. ("fixed", trace.History), ("running", ...).</param>
    /// <param name="title">Chart title.</param>
    public static GenericChart Z(IEnumerable<(string Run, IReadOnlyList<ZRecord> History)> runs, string title = "Normalisation constant Z")
    {
        var list = NonEmpty(runs, "runs");
        var traces = new List<GenericChart>();
        for (int i = 0; i < list.Count; i++)
        {
            var (run, history) = list[i];
            if (history.Count == 0) throw new ArgumentException($"The run '{run}' recorded no steps.", nameof(runs));
            var steps = history.Select(r => r.Step).ToArray();
            var color = Color.fromString(Palette[i % Palette.Length]);
            traces.Add(Chart.Line<int, double, string>(steps, history.Select(r => r.Student), Name: $"{run}: Z student view", LineColor: color));
            traces.Add(Chart.Line<int, double, string>(steps, history.Select(r => r.Teacher), Name: $"{run}: Z teacher view",
                                                       LineColor: color, LineDash: StyleParam.DrawingStyle.Dash));
        }
        return Chart.Combine(traces)
            .WithXAxisStyle<int, int, string>(TitleText: "training step (batch)")
            .WithYAxisStyle<double, double, string>(TitleText: "Z = N · mean exp(v·m / T)", AxisType: StyleParam.AxisType.Log)
            .WithTitle(title).FullWidth().LegendBelow();
    }

    /// <summary>
    /// Student (circles) and teacher (crosses) embeddings of the same rows in the plane of their first two principal
    /// components (fitted on both sets together), coloured by class; the title adds the mean cosine of matched pairs and of
    /// all other pairs (<see cref="CrdEmbeddings.Alignment"/>) on a second line, so that the figures are never cut off.
    /// </summary>
    /// <param name="embeddings">Embeddings of a split.</param>
    /// <param name="labels">Class of each row, in [0, classNames.Count).</param>
    /// <param name="classNames">Names of the classes, for the legend.</param>
    /// <param name="title">Chart title (the alignment figures are appended).</param>
    public static GenericChart Embeddings(CrdEmbeddings embeddings, IReadOnlyList<int> labels, IReadOnlyList<string> classNames, string title)
    {
        long rows = embeddings.Student.shape[0];
        if (labels.Count != rows)
            throw new ArgumentException($"There are {labels.Count} labels for {rows} embedded rows; pass the labels of the embedded split.", nameof(labels));
        if (labels.Any(l => l < 0 || l >= classNames.Count))
            throw new ArgumentException($"Labels must lie in [0, {classNames.Count}) to be named by the {classNames.Count} class names.", nameof(labels));
        var (positive, negative) = embeddings.Alignment();
        using var both = cat([embeddings.Student, embeddings.Teacher], 0); // [2N, D]
        var projection = Projection.Fit(both, 2);
        var student = projection.Coordinates(embeddings.Student);
        var teacher = projection.Coordinates(embeddings.Teacher);
        var traces = new List<GenericChart>();
        foreach (var (side, coordinates, symbol) in new[] { ("student", student, StyleParam.MarkerSymbol.Circle), ("teacher", teacher, StyleParam.MarkerSymbol.X) })
            for (int c = 0; c < classNames.Count; c++)
            {
                var rowsOfClass = Enumerable.Range(0, labels.Count).Where(i => labels[i] == c).ToArray();
                traces.Add(Chart.Point<double, double, string>(
                    rowsOfClass.Select(i => coordinates[0][i]), rowsOfClass.Select(i => coordinates[1][i]),
                    Name: $"{side} · {classNames[c]}", Opacity: 0.7,
                    MarkerColor: Color.fromString(Palette[c % Palette.Length]), MarkerSymbol: symbol));
            }
        string explained = string.Join(", ", projection.ExplainedVariance.Select(v => v.ToString("F3", CultureInfo.InvariantCulture)));
        return Chart.Combine(traces)
            .WithXAxisStyle<double, double, string>(TitleText: "principal component 1")
            .WithYAxisStyle<double, double, string>(TitleText: "principal component 2")
            .WithTitle(title, string.Create(CultureInfo.InvariantCulture,
                $"cosine of matched pairs {positive:F3}, of other pairs {negative:F3}; variance along PC 1, PC 2: {explained}"))
            .FullWidth(520).LegendBelow();
    }

    private static List<T> NonEmpty<T>(IEnumerable<T> items, string name)
    {
        ArgumentNullException.ThrowIfNull(items, name);
        var list = items.ToList();
        if (list.Count == 0) throw new ArgumentException($"No {name} given: pass at least one.", name);
        return list;
    }
}
