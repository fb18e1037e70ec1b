using Distill.Losses;
using Distill.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;
using static Distill.Tests.Losses.Logit.LogitCases;

namespace Distill.Tests.Losses.Logit;

public class KnowledgeDistillationLossTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ValueAndGradientMatchPyTorch(int index)
    {
        var c = Case("kd", index);
        double t = c.GetProperty("T").GetDouble();
        var (loss, grad) = ValueAndGrad(new KnowledgeDistillationLoss(t),
            Float64(c.GetProperty("student"), 8, 10), Float64(c.GetProperty("teacher"), 8, 10));
        Tolerance.AssertClose(c.GetProperty("loss").GetDouble(), loss, what: $"KD loss at T={t}");
        Tolerance.AssertClose(ReferenceData.Doubles(c.GetProperty("grad")), grad, what: $"KD gradient at T={t}");
    }

    [Fact]
    public void Float32MatchesPyTorch()
    {
        // The models run in float32; 1e-4 because the float64 reference inputs are rounded to float32 and the
        // softmax sums are accumulated in float32.
        var c = Case("kd", 2);
        var student = Float64(c.GetProperty("student"), 8, 10).to(ScalarType.Float32).requires_grad_(true);
        var teacher = Float64(c.GetProperty("teacher"), 8, 10).to(ScalarType.Float32);
        var value = new KnowledgeDistillationLoss(4.0).Compute(Context(student, teacher));
        value.backward();
        Assert.Equal(ScalarType.Float32, value.dtype);
        Tolerance.AssertClose(c.GetProperty("loss").GetDouble(), value.item<float>(), rel: 1e-4, what: "float32 KD loss");
        Tolerance.AssertClose(ReferenceData.Doubles(c.GetProperty("grad")), Values(student.grad!), rel: 1e-4, abs: 1e-6, what: "float32 KD gradient");
    }

    [Fact]
    public void DivergenceOfIdenticalLogitsIsZero()
    {
        var z = Random(1, 8, 10);
        var (loss, grad) = ValueAndGrad(new KnowledgeDistillationLoss(4.0), z, z.clone());
        Assert.Equal(0.0, loss, 12);
        Assert.All(grad, g => Assert.Equal(0.0, g, 12));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(2.0)]
    [InlineData(4.0)]
    [InlineData(10.0)]
    public void GradientIsTTimesSoftenedProbabilityDifference(double temperature)
    {
        // d/dz_s [T^2 KL(softmax(z_t/T) || softmax(z_s/T))] = T^2 · (1/T) · (p_s - p_t) / B = T (p_s - p_t) / B.
        var student = Random(2, 8, 10);
        var teacher = Random(3, 8, 10);
        var (_, grad) = ValueAndGrad(new KnowledgeDistillationLoss(temperature), student, teacher);
        var expected = (nn.functional.softmax(student / temperature, 1) - nn.functional.softmax(teacher / temperature, 1)) * temperature / 8.0;
        Tolerance.AssertClose(Values(expected), grad, rel: 1e-10, abs: 1e-14, what: $"gradient at T={temperature}");
    }

    [Fact]
    public void HighTemperatureGradientNoLongerDependsOnTemperature()
    {
        // Hinton et al., Eq. 4: for large T and zero-mean logits the T^2-scaled gradient tends to (z_s - z_t) / (C B),
        // independent of T. Without the T^2 factor it would shrink as 1/T^2 (a factor 4 between T = 500 and T = 1000).
        var student = Random(4, 8, 10);
        var teacher = Random(5, 8, 10);
        student = student - student.mean([1], keepdim: true);
        teacher = teacher - teacher.mean([1], keepdim: true);
        var limit = Values((student - teacher) / (10.0 * 8.0));
        var (_, grad500) = ValueAndGrad(new KnowledgeDistillationLoss(500), student, teacher);
        var (_, grad1000) = ValueAndGrad(new KnowledgeDistillationLoss(1000), student, teacher);
        Tolerance.AssertClose(limit, grad1000, rel: 2e-2, abs: 1e-4, what: "T=1000 gradient vs (z_s - z_t)/(C B)");
        Tolerance.AssertClose(grad1000, grad500, rel: 2e-2, abs: 1e-4, what: "T=500 vs T=1000 gradient");
    }

    [Fact]
    public void GradientReachesStudentButNeverTeacher()
    {
        var student = Random(6, 8, 10).requires_grad_(true);
        var teacher = Random(7, 8, 10).requires_grad_(true);
        new KnowledgeDistillationLoss().Compute(Context(student, teacher)).backward();
        Assert.True(student.grad!.abs().sum().item<double>() > 0, "the student logits received no gradient");
        Assert.Null(teacher.grad);
    }

    [Fact]
    public void SingleLogitOutputIsRejectedWithThePointer()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new KnowledgeDistillationLoss().Compute(Context(Random(8, 8, 1), Random(9, 8, 1))));
        Assert.Contains("BinaryKnowledgeDistillationLoss", error.Message);
    }
}
