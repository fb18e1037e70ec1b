using Distill.Charts;
using Distill.Losses;
using Distill.Losses.Feature;
using static Distill.Tests.Charts.ChartJson;
using static TorchSharp.torch;

namespace Distill.Tests.Charts;

/// <summary>The attention heatmaps show the maps the loss compares, pooled to a common width, on one colour scale.</summary>
public sealed class AttentionChartsTests
{
    private static double[][] Z(System.Text.Json.JsonElement trace)
        => trace.GetProperty("z").EnumerateArray().Select(Doubles).ToArray();

    [Fact]
    public void TeacherIsPooledToTheStudentWidthAndBothMapsAreNormalised()
    {
        var loss = new AttentionTransferLoss([LayerPair.Last]);
        // Teacher: 4 units pooled in pairs to the student's 2. Row 0: [1, 3] -> energies 1, 9 -> (1, 9) / sqrt(82);
        // row 1: [-2, 1] -> (4, 1) / sqrt(17). No map reaches 1, so the shared colour scale is a real maximum.
        var teacher = tensor(new float[] { 0, 2, 3, 3, -2, -2, 1, 1 }, [2, 4]);
        var student = tensor(new float[] { 3, 4, 1, -2 }, [2, 2]);
        var traces = Traces(AttentionCharts.TeacherVersusStudent(loss, teacher, student));
        Assert.Equal(2, traces.Count);
        Assert.All(traces, t => Assert.Equal("heatmap", t.GetProperty("type").GetString()));
        double[][] t0 = Z(traces[0]), s0 = Z(traces[1]);
        Assert.Equal(1 / Math.Sqrt(82), t0[0][0], 6);
        Assert.Equal(9 / Math.Sqrt(82), t0[0][1], 6);
        Assert.Equal(4 / Math.Sqrt(17), t0[1][0], 6);
        Assert.Equal(1 / Math.Sqrt(17), t0[1][1], 6);
        // Student row 0: energies 9, 16 -> (9, 16) / sqrt(337).
        Assert.Equal(9 / Math.Sqrt(337), s0[0][0], 6);
        Assert.Equal(16 / Math.Sqrt(337), s0[0][1], 6);
        Assert.Equal(["row 0", "row 1"], Strings(traces[0].GetProperty("y")));
        Assert.Equal(4 / Math.Sqrt(17), s0[1][1], 6);
        // One colour scale: both panels run from 0 to the largest value of either (teacher row 0, unit 1).
        Assert.All(traces, t => Assert.Equal(0.0, t.GetProperty("zmin").GetDouble()));
        Assert.All(traces, t => Assert.Equal(9 / Math.Sqrt(82), t.GetProperty("zmax").GetDouble(), 6));
    }

    [Fact]
    public void AxesAndTheColourBarAreTitled()
    {
        var loss = new AttentionTransferLoss([LayerPair.Last]);
        var chart = AttentionCharts.TeacherVersusStudent(loss, zeros(3, 8) + 1, zeros(3, 4) + 1);
        var layout = Figure(chart).GetProperty("layout");
        string XTitle(string axis) => layout.GetProperty(axis).GetProperty("title").GetProperty("text").GetString()!;
        Assert.Equal("unit (the wider map pooled to 4)", XTitle("xaxis"));
        Assert.Equal("unit (the wider map pooled to 4)", XTitle("xaxis2"));
        Assert.Equal("example", XTitle("yaxis"));
        Assert.All(Traces(chart), t => Assert.Equal("attention Q / ‖Q‖₂",
            t.GetProperty("colorbar").GetProperty("title").GetProperty("text").GetString()));
    }

    [Fact]
    public void MismatchedRowsAreRejected()
    {
        var loss = new AttentionTransferLoss([LayerPair.Last]);
        Assert.Contains("same examples", Assert.Throws<ArgumentException>(
            () => AttentionCharts.TeacherVersusStudent(loss, zeros(3, 4), zeros(2, 4))).Message);
    }

    [Fact]
    public void MeanRowDistanceIsTheDistanceBetweenTheMapsTheHeatmapsShow()
    {
        var loss = new AttentionTransferLoss([LayerPair.Last]);
        // The case above: teacher maps (1, 9)/sqrt(82) and (4, 1)/sqrt(17); student (9, 16)/sqrt(337) and (1, 4)/sqrt(17).
        var teacher = tensor(new float[] { 0, 2, 3, 3, -2, -2, 1, 1 }, [2, 4]);
        var student = tensor(new float[] { 3, 4, 1, -2 }, [2, 2]);
        double row0 = Math.Sqrt(Math.Pow(9 / Math.Sqrt(337) - 1 / Math.Sqrt(82), 2) + Math.Pow(16 / Math.Sqrt(337) - 9 / Math.Sqrt(82), 2));
        double row1 = Math.Sqrt(2 * Math.Pow(4 / Math.Sqrt(17) - 1 / Math.Sqrt(17), 2));
        Assert.Equal((row0 + row1) / 2, AttentionCharts.MeanRowDistance(loss, teacher, student), 6);
        Assert.Equal(0, AttentionCharts.MeanRowDistance(loss, student, student * 3), 6); // invariant to the feature's scale
        Assert.Throws<ArgumentException>(() => AttentionCharts.MeanRowDistance(loss, teacher, student.narrow(0, 0, 1)));
    }
}
