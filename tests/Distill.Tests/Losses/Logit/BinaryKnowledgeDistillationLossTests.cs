using Distill.Losses;
using Distill.Runtime;
using Distill.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;
using static Distill.Tests.Losses.Logit.LogitCases;

namespace Distill.Tests.Losses.Logit;

public class BinaryKnowledgeDistillationLossTests
{
    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    public void ValueAndGradientMatchPyTorch(int index, bool columnShape)
    {
        var c = Case("bkd", index);
        double t = c.GetProperty("T").GetDouble();
        long[] shape = columnShape ? [16, 1] : [16];
        var (loss, grad) = ValueAndGrad(new BinaryKnowledgeDistillationLoss(t),
            Float64(c.GetProperty("student"), shape), Float64(c.GetProperty("teacher"), shape));
        Tolerance.AssertClose(c.GetProperty("loss").GetDouble(), loss, what: $"binary KD loss at T={t}");
        Tolerance.AssertClose(ReferenceData.Doubles(c.GetProperty("grad")), grad, what: $"binary KD gradient at T={t}");
    }

    [Fact]
    public void EqualsMulticlassKdOnTheTwoClassLogits()
    {
        var student = Random(11, 16);
        var teacher = Random(12, 16);
        var (binary, _) = ValueAndGrad(new BinaryKnowledgeDistillationLoss(3.0), student, teacher);
        var (twoClass, _) = ValueAndGrad(new KnowledgeDistillationLoss(3.0), BinaryLogit.TwoClassLogits(student), BinaryLogit.TwoClassLogits(teacher));
        Tolerance.AssertClose(twoClass, binary, rel: 1e-12, what: "binary KD vs two-class KD");
    }

    [Fact]
    public void ConfidentOppositeLogitsStayFinite()
    {
        // z_s = +200, z_t = -200, T = 1: KL ≈ 1 · (log 1 - log sigmoid(-200)) = 200. A naive log(1 - sigmoid(z)) in float32 is log 0.
        var student = full(4, 200f, ScalarType.Float32, DistillDevice.Current).requires_grad_(true);
        var teacher = full(4, -200f, ScalarType.Float32, DistillDevice.Current);
        var loss = new BinaryKnowledgeDistillationLoss(1.0).Compute(Context(student, teacher));
        loss.backward();
        Tolerance.AssertClose(200.0, loss.item<float>(), rel: 1e-6, what: "KL of opposite confident logits");
        Assert.All(Values(student.grad!), g => Assert.True(double.IsFinite(g) && g > 0, $"gradient {g}"));
    }

    [Fact]
    public void DivergenceOfIdenticalLogitsIsZero()
    {
        var z = Random(13, 16, 1);
        var (loss, grad) = ValueAndGrad(new BinaryKnowledgeDistillationLoss(), z, z.clone());
        Assert.Equal(0.0, loss, 12);
        Assert.All(grad, g => Assert.Equal(0.0, g, 12));
    }

    [Fact]
    public void GradientReachesStudentButNeverTeacher()
    {
        var student = Random(14, 16).requires_grad_(true);
        var teacher = Random(15, 16).requires_grad_(true);
        new BinaryKnowledgeDistillationLoss().Compute(Context(student, teacher)).backward();
        Assert.True(student.grad!.abs().sum().item<double>() > 0, "the student logit received no gradient");
        Assert.Null(teacher.grad);
    }

    [Fact]
    public void MulticlassOutputIsRejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new BinaryKnowledgeDistillationLoss().Compute(Context(Random(16, 16, 3), Random(17, 16, 3))));
        Assert.Contains("[batch, 1]", error.Message);
    }
}
