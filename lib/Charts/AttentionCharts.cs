using Distill.Losses.Feature;
using Plotly.NET;
using Plotly.NET.CSharp;
using static TorchSharp.torch;
using Chart = Plotly.NET.CSharp.Chart;

namespace Distill.Charts;

/// <summary>Heatmaps of attention-transfer maps: the teacher's next to the student's, for a few examples.</summary>
/// <remarks>
/// Zagoruyko and Komodakis, "Paying More Attention to Attention", ICLR 2017, Eq. 2: the map of a feature is the normalised
/// energy <c>Q / ‖Q‖₂</c> (<see cref="AttentionTransferLoss.AttentionMap"/>). A dense <c>[B, C]</c> feature gives one value per
/// unit. When the widths differ, the wider feature is average-pooled to the narrower width first, as the loss does before
/// comparing (RepDistiller's <c>adaptive_avg_pool</c>), so the two heatmaps show exactly what the loss compares.
/// </remarks>
public static class AttentionCharts
{
    /// <summary>Teacher and student attention maps side by side (rows are examples, columns are units or positions).</summary>
    /// <param name="loss">The attention-transfer loss whose maps are drawn (its exponent p).</param>
    /// <param name="teacherFeature">The teacher's feature <c>[B, Ct]</c> or <c>[B, C, Lt]</c>.</param>
    /// <param name="studentFeature">The student's feature of the same rows <c>[B, Cs]</c> or <c>[B, C, Ls]</c>.</param>
    /// <param name="title">Chart title.</param>
    public static GenericChart TeacherVersusStudent(AttentionTransferLoss loss, Tensor teacherFeature, Tensor studentFeature,
                                                    string title = "Attention maps: teacher vs student")
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (teacherFeature.shape[0] != studentFeature.shape[0])
            throw new ArgumentException(
                $"Teacher and student features have {teacherFeature.shape[0]} and {studentFeature.shape[0]} rows: pass the features of the same examples.");
        double[][] teacher, student;
        long length = Math.Min(Length(teacherFeature), Length(studentFeature));
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            teacher = Rows(loss.AttentionMap(PoolTo(teacherFeature.detach(), length)));   // [B, L]
            student = Rows(loss.AttentionMap(PoolTo(studentFeature.detach(), length)));   // [B, L]
        }
        // One colour scale for both panels so that equal colours mean equal values.
        double max = teacher.Concat(student).SelectMany(r => r).Max();
        string[] examples = Enumerable.Range(0, teacher.Length).Select(i => $"row {i}").ToArray();
        GenericChart Panel(double[][] maps, string name, bool showScale) => Chart.Heatmap<double, int, string, string>(
            maps, X: Enumerable.Range(0, maps[0].Length).ToArray(), Y: examples, Name: name, ShowScale: showScale,
            ColorScale: StyleParam.Colorscale.Viridis, ZSmooth: StyleParam.SmoothAlg.False);
        var chart = Chart.Grid([Panel(teacher, "teacher", false), Panel(student, "student", true)], 1, 2,
                               SubPlotTitles: new[] { "teacher", "student" });
        foreach (var trace in GenericChart.getTraces(chart))
        {
            trace.SetProperty("zmin", 0.0);
            trace.SetProperty("zmax", max);
            trace.SetProperty("colorbar", ChartStyle.Properties(("title", ChartStyle.Properties(("text", "attention Q / ‖Q‖₂"), ("side", "right")))));
        }
        bool pooled = Length(teacherFeature) != Length(studentFeature);
        string columns = (teacherFeature.dim() == 2 ? "unit" : "position") + (pooled ? $" (the wider map pooled to {length})" : "");
        return chart
            .WithXAxisStyle<int, int, string>(TitleText: columns, Id: StyleParam.SubPlotId.NewXAxis(1))
            .WithXAxisStyle<int, int, string>(TitleText: columns, Id: StyleParam.SubPlotId.NewXAxis(2))
            .WithYAxisStyle<string, string, string>(TitleText: "example", Id: StyleParam.SubPlotId.NewYAxis(1))
            .WithTitle(title)
            .FullWidth(Math.Max(ChartStyle.DefaultHeight, 160 + 40 * teacher.Length));
    }

    /// <summary>How far the student's maps are from the teacher's, as the heatmaps show them: the mean over examples of
    /// the Euclidean distance between the two unit-length maps of a row (0 when they coincide, at most √2).</summary>
    /// <param name="loss">The attention-transfer loss whose maps are compared (its exponent p).</param>
    /// <param name="teacherFeature">The teacher's feature <c>[B, Ct]</c> or <c>[B, C, Lt]</c>.</param>
    /// <param name="studentFeature">The student's feature of the same rows.</param>
    public static double MeanRowDistance(AttentionTransferLoss loss, Tensor teacherFeature, Tensor studentFeature)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (teacherFeature.shape[0] != studentFeature.shape[0])
            throw new ArgumentException(
                $"Teacher and student features have {teacherFeature.shape[0]} and {studentFeature.shape[0]} rows: pass the features of the same examples.");
        long length = Math.Min(Length(teacherFeature), Length(studentFeature));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var teacher = loss.AttentionMap(PoolTo(teacherFeature.detach(), length));   // [B, L]
        var student = loss.AttentionMap(PoolTo(studentFeature.detach(), length));   // [B, L]
        return (student - teacher).norm(1).mean().to(ScalarType.Float64).item<double>();
    }

    // Units (dense) or positions (1-D conv) compared by the loss.
    private static long Length(Tensor feature) => feature.dim() switch
    {
        2 => feature.shape[1],
        3 => feature.shape[2],
        _ => throw new ArgumentException($"Attention maps need a [B, C] or [B, C, L] feature, got [{string.Join(", ", feature.shape)}]."),
    };

    private static Tensor PoolTo(Tensor feature, long length) => feature.dim() == 2
        ? nn.functional.adaptive_avg_pool1d(feature.unsqueeze(1), length).squeeze(1)   // [B, C] -> [B, length]
        : nn.functional.adaptive_avg_pool1d(feature, length);                          // [B, C, L] -> [B, C, length]

    private static double[][] Rows(Tensor maps)
    {
        var cpu = maps.cpu().to(ScalarType.Float64);
        double[] flat = cpu.data<double>().ToArray();
        int columns = (int)cpu.shape[1];
        return Enumerable.Range(0, (int)cpu.shape[0]).Select(r => flat[(r * columns)..((r + 1) * columns)]).ToArray();
    }
}
