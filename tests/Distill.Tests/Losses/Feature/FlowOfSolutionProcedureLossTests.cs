using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Tests.Reference;
using static Distill.Tests.Losses.Feature.FeatureLossesBReference;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Feature;

public class FlowOfSolutionProcedureLossTests
{
    private static readonly LayerPair[] ThreeLayers = [new(0, 0), new(1, 1), new(2, 2)];

    [Theory]
    [InlineData("vector", false)]
    [InlineData("vector", true)]
    [InlineData("sequence", false)]
    [InlineData("sequence", true)]
    public void FlowOfSolutionProcedureLossMatchesPyTorch(string name, bool single)
    {
        var reference = Case("fsp", name);
        var (rel, abs) = Tolerances(single);
        var students = reference.GetProperty("students").EnumerateArray().Select(e => Tensor(e, requiresGrad: true, dtype: Dtype(single))).ToArray();
        var teachers = reference.GetProperty("teachers").EnumerateArray().Select(e => Tensor(e, requiresGrad: true, dtype: Dtype(single))).ToArray();

        var loss = new FlowOfSolutionProcedureLoss(ThreeLayers).Compute(Context(students, teachers));
        loss.backward();

        Tolerance.AssertClose(reference.GetProperty("loss").GetDouble(), loss.to(ScalarType.Float64).item<double>(), rel, abs, what: "fsp loss");
        var gradients = reference.GetProperty("gradStudents").EnumerateArray().ToArray();
        for (int i = 0; i < students.Length; i++)
            Tolerance.AssertClose(ReferenceData.Doubles(gradients[i]), Values(students[i].grad!), rel, abs, what: $"fsp dL/dstudent[{i}]");
        Assert.All(students, s => AssertNonZeroGradient(s.grad, "fsp student feature"));
        Assert.All(teachers, t => Assert.Null(t.grad));
    }

    [Fact]
    public void FlowOfSolutionProcedureLossIsZeroOnIdenticalFeatures()
    {
        var features = new[] { RandomFeature(5, 4, 6), RandomFeature(5, 3, 6), RandomFeature(5, 2, 6) };
        var loss = new FlowOfSolutionProcedureLoss(ThreeLayers);
        Assert.Equal(0f, loss.Compute(Context(features, features.Select(f => f.clone()).ToArray())).item<float>());
        Assert.True(loss.Compute(Context(features, features.Select(f => f.flip(0)).ToArray())).item<float>() > 1e-3);
    }

    [Theory]
    [InlineData(16, 8, 1)]   // dense layers: two dot products per example, not the 16 x 8 matrices
    [InlineData(6, 5, 3)]    // C1·C2 > L²: products of positions
    [InlineData(2, 3, 4)]    // C1·C2 <= L²: the matrices themselves
    public void FlowOfSolutionProcedureLossIsTheDistanceOfTheMatricesWhicheverWayItIsSummed(int first, int second, int length)
    {
        // The loss and its gradient equal Eq. 2 computed from the FSP matrices themselves, in float64.
        Tensor Feature(int channels) => length == 1 ? RandomFeature(5, channels) : RandomFeature(5, channels, length);
        var students = new[] { Feature(first), Feature(second) }.Select(f => f.requires_grad_(true)).ToArray();
        var teachers = new[] { Feature(first), Feature(second) };
        var loss = new FlowOfSolutionProcedureLoss([new(0, 0), new(1, 1)]).Compute(Context(students, teachers));
        loss.backward();

        var exact = students.Select(f => f.detach().to(float64).requires_grad_(true)).ToArray();
        var matrices = FlowOfSolutionProcedureLoss.FspMatrix(exact[0], exact[1], "student")
                       - FlowOfSolutionProcedureLoss.FspMatrix(teachers[0].to(float64), teachers[1].to(float64), "teacher");
        var expected = matrices.pow(2).sum([1, 2]).mean();
        expected.backward();
        Tolerance.AssertClose(expected.item<double>(), loss.to(float64).item<double>(), 1e-5, 1e-6, what: "fsp loss");
        for (int i = 0; i < 2; i++)
            Tolerance.AssertClose(Values(exact[i].grad!), Values(students[i].grad!), 1e-4, 1e-5, what: $"fsp dL/dstudent[{i}]");
        var same = new FlowOfSolutionProcedureLoss([new(0, 0), new(1, 1)])
            .Compute(Context(teachers, teachers.Select(t => t.clone()).ToArray()));
        Assert.Equal(0f, same.item<float>());
    }

    [Fact]
    public void FlowOfSolutionProcedureMatrixOfVectorsIsTheOuterProduct()
    {
        // L = 1: G = f1 f2ᵀ per sample (Eq. 1 with one position).
        var first = tensor(new float[] { 1, 2 }).view(1, 2);
        var second = tensor(new float[] { 3, -1, 0.5f }).view(1, 3);
        var g = FlowOfSolutionProcedureLoss.FspMatrix(first, second, "test layers");
        Tolerance.AssertClose([3, -1, 0.5, 6, -2, 1], Values(g), what: "G");
    }

    [Fact]
    public void FlowOfSolutionProcedureLossRejectsBadInputWithTheFix()
    {
        var loss = new FlowOfSolutionProcedureLoss([new(0, 0), new(1, 1)]);
        var widths = Assert.Throws<ArgumentException>(() =>
            loss.Compute(Context([RandomFeature(4, 3), RandomFeature(4, 5)], [RandomFeature(4, 3), RandomFeature(4, 6)])));
        Assert.Contains("[4, 3, 5]", widths.Message);
        Assert.Contains("[4, 3, 6]", widths.Message);
        Assert.Contains("equal channel counts", widths.Message);

        var lengths = Assert.Throws<ArgumentException>(() =>
            loss.Compute(Context([RandomFeature(4, 3, 8), RandomFeature(4, 5, 4)], [RandomFeature(4, 3, 8), RandomFeature(4, 5, 8)])));
        Assert.Contains("different lengths (8 vs 4)", lengths.Message);

        var batch = Assert.Throws<ArgumentException>(() =>
            loss.Compute(Context([RandomFeature(4, 3), RandomFeature(4, 5)], [RandomFeature(2, 3), RandomFeature(2, 5)])));
        Assert.Contains("batch sizes differ (4 vs 2)", batch.Message);

        var rank = Assert.Throws<ArgumentException>(() =>
            loss.Compute(Context([RandomFeature(4), RandomFeature(4, 5)], [RandomFeature(4, 3), RandomFeature(4, 5)])));
        Assert.Contains("[B, C] or [B, C, L]", rank.Message);

        var nan = RandomFeature(4, 5);
        nan[0, 0] = tensor(float.NaN);
        var nanError = Assert.Throws<ArgumentException>(() =>
            loss.Compute(Context([RandomFeature(4, 3), RandomFeature(4, 5)], [RandomFeature(4, 3), nan])));
        Assert.Contains("NaN", nanError.Message);
        Assert.Contains("teacher", nanError.Message);

        Assert.Throws<ArgumentException>(() => new FlowOfSolutionProcedureLoss([LayerPair.Last]));
    }
}
