using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Tests.Reference;
using TorchSharp;
using static Distill.Tests.Losses.Feature.FeatureLossesBReference;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Feature;

public class CorrelationCongruenceLossTests
{
    [Theory]
    [InlineData("vector", false)]
    [InlineData("vector", true)]
    [InlineData("sequence", false)]
    [InlineData("sequence", true)]
    public void CorrelationCongruenceLossMatchesPyTorch(string name, bool single)
    {
        var reference = Case("cc", name);
        var (rel, abs) = Tolerances(single);
        var student = Tensor(reference.GetProperty("student"), requiresGrad: true, dtype: Dtype(single));
        var teacher = Tensor(reference.GetProperty("teacher"), requiresGrad: true, dtype: Dtype(single));
        var loss = new CorrelationCongruenceLoss(LayerPair.Last, reference.GetProperty("studentDim").GetInt32(),
            reference.GetProperty("teacherDim").GetInt32(), new(EmbeddingDim: reference.GetProperty("embeddingDim").GetInt32()));
        loss.to(Dtype(single));
        LoadParameters(loss, reference.GetProperty("parameters"));

        var value = loss.Compute(Context(student, teacher));
        value.backward();

        Tolerance.AssertClose(reference.GetProperty("loss").GetDouble(), value.to(ScalarType.Float64).item<double>(), rel, abs, what: "cc loss");
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("gradStudent")), Values(student.grad!), rel, abs, what: "cc dL/dstudent");
        var weight = loss.named_parameters().Single(p => p.name == "embedStudent.weight").parameter;
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("gradParameterValues")), Values(weight.grad!), rel, abs, what: "cc dL/dembedding");
        AssertNonZeroGradient(student.grad, "cc student feature");
        Assert.Null(teacher.grad);
        // The teacher's embedding is loss-owned and learns, even though the teacher feature itself gets no gradient.
        AssertNonZeroGradient(loss.named_parameters().Single(p => p.name == "embedTeacher.weight").parameter.grad, "cc teacher embedding");
    }

    [Fact]
    public void CorrelationCongruenceKernelApproachesTheGaussianRbfAsTheOrderGrows()
    {
        // For unit vectors exp(−γ‖x − y‖²) = e^{−2γ} e^{2γ xᵀy}; the Taylor series converges to it.
        var x = nn.functional.normalize(RandomFeature(5, 3).to(float64), p: 2, dim: 1);
        var exact = exp(-0.4 * cdist(x, x).pow(2));
        double Error(int order) => (new CorrelationCongruenceLoss(LayerPair.Last, 3, 3, new(Order: order)).Correlation(x) - exact).abs().max().item<double>();
        Assert.True(Error(2) < 0.1, $"P = 2 error {Error(2)}");
        Assert.True(Error(8) < 1e-5, $"P = 8 error {Error(8)}");
        Assert.True(Error(8) < Error(2));
    }

    [Fact]
    public void CorrelationCongruenceLossIsZeroWhenStudentAndTeacherEmbedAlike()
    {
        var loss = new CorrelationCongruenceLoss(LayerPair.Last, 6, 6);
        using (no_grad())
            foreach (var name in new[] { "weight", "bias" })
                loss.named_parameters().Single(p => p.name == $"embedTeacher.{name}").parameter
                    .copy_(loss.named_parameters().Single(p => p.name == $"embedStudent.{name}").parameter);
        var feature = RandomFeature(10, 6);
        Assert.True(loss.Compute(Context(feature, feature.clone())).item<float>() < 1e-10);
        Assert.True(loss.Compute(Context(feature, RandomFeature(10, 6))).item<float>() > 1e-6);
    }

    [Fact]
    public void CorrelationCongruenceLossRejectsBadInputWithTheFix()
    {
        var loss = new CorrelationCongruenceLoss(LayerPair.Last, 5, 12);
        var batch = Assert.Throws<ArgumentException>(() => loss.Compute(Context(RandomFeature(4, 5), RandomFeature(3, 12))));
        Assert.Contains("cc: student and teacher batch sizes differ (4 vs 3)", batch.Message);
        var width = Assert.Throws<ArgumentException>(() => loss.Compute(Context(RandomFeature(4, 5), RandomFeature(4, 3, 5))));
        Assert.Contains("(15 values per sample) but the loss was built for 12", width.Message);
        var rank = Assert.Throws<ArgumentException>(() => loss.Compute(Context(RandomFeature(4, 5, 1, 1), RandomFeature(4, 12))));
        Assert.Contains("[4, 5, 1, 1]", rank.Message);
        var nan = RandomFeature(4, 5);
        nan[3, 0] = tensor(float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => loss.Compute(Context(nan, RandomFeature(4, 12)))).Message);
        Assert.NotNull(loss.Compute(Context(RandomFeature(4, 5), RandomFeature(4, 3, 4))));  // [B, C, L] flattens to C·L = 12
    }
}
