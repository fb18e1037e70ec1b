using System.Text.Json;
using Distill.Charts;
using Distill.Losses.Crd;
using Distill.Training;
using Plotly.NET;
using static TorchSharp.torch;

namespace Distill.Tests.Charts;

/// <summary>PCA projection against hand-computable data, and the CRD chart builders' traces, values and titles.</summary>
public sealed class CrdChartsTests
{
    // Orthogonal, zero-mean coordinates: the data's principal axes are exactly u (variance 9·8/7) and v (8/7).
    private static readonly double[] A = [1, -1, 1, -1, 1, -1, 1, -1];
    private static readonly double[] B = [1, 1, -1, -1, 1, 1, -1, -1];
    private static readonly double[] U = [0.6, 0.8, 0, 0, 0];
    private static readonly double[] V = [0, 0, 0, -1, 0];
    private static readonly double[] Centre = [5, -2, 1, 0.5, 3];

    private static Tensor PlaneData()
    {
        var rows = new double[A.Length * 5];
        for (int i = 0; i < A.Length; i++)
            for (int d = 0; d < 5; d++)
                rows[i * 5 + d] = Centre[d] + 3 * A[i] * U[d] + B[i] * V[d];
        return tensor(rows, [A.Length, 5]).to(ScalarType.Float32);
    }

    private static JsonElement Figure(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart)).RootElement;

    private static double[] Values(JsonElement trace, string axis) => trace.GetProperty(axis).EnumerateArray().Select(v => v.GetDouble()).ToArray();

    [Fact]
    public void PcaFindsThePlaneAxesTheirVariancesAndTheCoordinates()
    {
        var projection = Projection.Fit(PlaneData(), 2);
        Assert.Equal(9 * 8 / 7.0, projection.ExplainedVariance[0], 4);
        Assert.Equal(8 / 7.0, projection.ExplainedVariance[1], 4);
        var w = projection.Components.to(ScalarType.Float64).cpu();
        // Signs: the largest-magnitude entry of each component is positive, so u stays u and v becomes −v.
        for (int d = 0; d < 5; d++)
        {
            Assert.Equal(U[d], w[d, 0].item<double>(), 5);
            Assert.Equal(-V[d], w[d, 1].item<double>(), 5);
        }
        var coordinates = projection.Coordinates(PlaneData());
        for (int i = 0; i < A.Length; i++)
        {
            Assert.Equal(3 * A[i], coordinates[0][i], 4);
            Assert.Equal(-B[i], coordinates[1][i], 4);
        }
    }

    [Fact]
    public void PcaSignDoesNotDependOnTheSignOfTheData()
    {
        var data = PlaneData();
        var mirrored = Projection.Fit(data.neg(), 2).Components.to(ScalarType.Float64);
        var original = Projection.Fit(data, 2).Components.to(ScalarType.Float64);
        Assert.True(allclose(original, mirrored, 1e-5, 1e-6), "the sign convention must make both fits agree");
    }

    [Fact]
    public void ProjectionRejectsBadInput()
    {
        Assert.Throws<ArgumentException>(() => Projection.Fit(zeros(8), 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Projection.Fit(PlaneData(), 6));
        Assert.Throws<ArgumentException>(() => Projection.Fit(tensor(new[] { 1f, float.NaN, 2f, 3f }, [2, 2]), 1));
        var fitted = Projection.Fit(PlaneData(), 2);
        Assert.Throws<ArgumentException>(() => fitted.Apply(zeros(3, 4)));
    }

    [Fact]
    public void AlignmentIsTheMeanCosineOfMatchedAndOfOtherPairs()
    {
        var basis = eye(3);
        Assert.Equal((1.0, 0.0), new CrdEmbeddings(basis, basis).Alignment());
        Assert.Equal((-1.0, 0.0), new CrdEmbeddings(basis, basis.neg()).Alignment());
        // Teacher rows shifted by one: matched pairs orthogonal, exactly one other pair in each row matches (3 of 6 are 1).
        var shifted = basis.roll(1, 0);
        var (positive, negative) = new CrdEmbeddings(basis, shifted).Alignment();
        Assert.Equal(0.0, positive, 12);
        Assert.Equal(0.5, negative, 12);
        Assert.Throws<InvalidOperationException>(() => new CrdEmbeddings(basis, eye(2)).Alignment());
    }

    [Fact]
    public void EmbeddingChartHasOneTracePerNetworkAndClassWithTheProjectedRows()
    {
        var student = nn.functional.normalize(PlaneData().narrow(0, 0, 6), p: 2, dim: 1);
        var teacher = nn.functional.normalize(PlaneData().narrow(0, 2, 6), p: 2, dim: 1);
        int[] labels = [0, 1, 1, 0, 1, 1];
        var embeddings = new CrdEmbeddings(student, teacher);
        var figure = Figure(CrdCharts.Embeddings(embeddings, labels, ["benign", "malignant"], "test"));
        var data = figure.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["student · benign", "student · malignant", "teacher · benign", "teacher · malignant"],
                     data.Select(t => t.GetProperty("name").GetString()));
        // Plotly.NET writes marker symbols as Plotly's numeric codes: 0 is the circle, 4 the cross ("x").
        Assert.Equal("0", data[0].GetProperty("marker").GetProperty("symbol").ToString());
        Assert.Equal("4", data[2].GetProperty("marker").GetProperty("symbol").ToString());
        var projection = Projection.Fit(cat([student, teacher], 0), 2);
        var teacherXy = projection.Coordinates(teacher);
        Assert.Equal(new[] { 1, 2, 4, 5 }.Select(i => teacherXy[0][i]), Values(data[3], "x"));
        Assert.Equal(new[] { 1, 2, 4, 5 }.Select(i => teacherXy[1][i]), Values(data[3], "y"));
        var (positive, _) = embeddings.Alignment();
        // The figures go on a second line of the title, so that a narrow output does not cut them off.
        Assert.StartsWith($"test<br><sup>cosine of matched pairs {positive.ToString("F3", System.Globalization.CultureInfo.InvariantCulture)}",
                          figure.GetProperty("layout").GetProperty("title").GetProperty("text").GetString());
        Assert.Throws<ArgumentException>(() => CrdCharts.Embeddings(embeddings, [0, 1], ["benign", "malignant"], "test"));
        Assert.Throws<ArgumentException>(() => CrdCharts.Embeddings(embeddings, [0, 1, 2, 0, 1, 1], ["benign", "malignant"], "test"));
    }

    [Fact]
    public void ZChartDrawsBothViewsOfEveryRunOnALogAxis()
    {
        IReadOnlyList<ZRecord> fixedZ = [new(1, 700, 720), new(2, 700, 720)];
        IReadOnlyList<ZRecord> running = [new(1, 650, 900), new(2, 660, 905)];
        var figure = Figure(CrdCharts.Z([("fixed", fixedZ), ("running", running)]));
        var data = figure.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["fixed: Z student view", "fixed: Z teacher view", "running: Z student view", "running: Z teacher view"],
                     data.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal([1.0, 2.0], Values(data[0], "x"));
        Assert.Equal([720.0, 720.0], Values(data[1], "y"));
        Assert.Equal([650.0, 660.0], Values(data[2], "y"));
        Assert.Equal("dash", data[3].GetProperty("line").GetProperty("dash").GetString());
        Assert.Equal("log", figure.GetProperty("layout").GetProperty("yaxis").GetProperty("type").GetString());
        Assert.Throws<ArgumentException>(() => CrdCharts.Z([]));
        Assert.Throws<ArgumentException>(() => CrdCharts.Z([("empty", Array.Empty<ZRecord>())]));
    }

    [Fact]
    public void TermsChartNamesEveryTermOfEveryRun()
    {
        static EpochRecord Epoch(int epoch, double task, double crd) => new(epoch, 2, task + crd,
            new Dictionary<string, double> { ["task"] = task, ["crd"] = crd },
            new ClassifierEvaluation(0.5, "f1", 0.5, new Dictionary<string, double>(), [], []), 1e-3, false, TimeSpan.Zero);
        IReadOnlyList<EpochRecord> crd = [Epoch(1, 0.7, 13), Epoch(2, 0.5, 11)];
        IReadOnlyList<EpochRecord> both = [Epoch(1, 0.6, 12)];
        var data = Figure(CrdCharts.Terms([("CRD", crd), ("CRD+KD", both)])).GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(["CRD: task", "CRD: crd", "CRD+KD: task", "CRD+KD: crd"], data.Select(t => t.GetProperty("name").GetString()));
        Assert.Equal([13.0, 11.0], Values(data[1], "y"));
        Assert.Equal([0.6], Values(data[2], "y"));
    }
}
