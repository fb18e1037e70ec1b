using Distill.Distillation;
using Distill.Losses;
using Distill.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;
using static Distill.Tests.Losses.Logit.LogitCases;

namespace Distill.Tests.Losses.Logit;

public class NegativeSoftTargetCrossEntropyLossTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ValueAndGradientMatchPyTorch(int index)
    {
        var c = Case("nce", index);
        double t = c.GetProperty("T").GetDouble();
        var (loss, grad) = ValueAndGrad(new NegativeSoftTargetCrossEntropyLoss(t),
            Float64(c.GetProperty("student"), 8, 10), Float64(c.GetProperty("teacher"), 8, 10));
        Tolerance.AssertClose(c.GetProperty("loss").GetDouble(), loss, what: $"soft-target CE at T={t}");
        Tolerance.AssertClose(ReferenceData.Doubles(c.GetProperty("grad")), grad, what: $"soft-target CE gradient at T={t}");
    }

    [Fact]
    public void BinaryFormMatchesPyTorch()
    {
        var c = Case("nce_binary", 0);
        double t = c.GetProperty("T").GetDouble();
        var (loss, grad) = ValueAndGrad(new NegativeSoftTargetCrossEntropyLoss(t, LogitKind.BinarySingleLogit),
            Float64(c.GetProperty("student"), 16, 1), Float64(c.GetProperty("teacher"), 16, 1));
        Tolerance.AssertClose(c.GetProperty("loss").GetDouble(), loss, what: "binary soft-target CE");
        Tolerance.AssertClose(ReferenceData.Doubles(c.GetProperty("grad")), grad, what: "binary soft-target CE gradient");
    }

    [Theory]
    [InlineData(LogitKind.Multiclass, 2.0)]
    [InlineData(LogitKind.Multiclass, 4.0)]
    [InlineData(LogitKind.BinarySingleLogit, 4.0)]
    public void DiffersFromKdByTheTeacherEntropyAndHasTheSameGradient(LogitKind kind, double temperature)
    {
        var (student, teacher) = kind == LogitKind.Multiclass
            ? (Random(21, 8, 10), Random(22, 8, 10))
            : (Random(23, 16, 1), Random(24, 16, 1));
        DistillationLoss kd = kind == LogitKind.Multiclass
            ? new KnowledgeDistillationLoss(temperature) : new BinaryKnowledgeDistillationLoss(temperature);
        var (nceValue, nceGrad) = ValueAndGrad(new NegativeSoftTargetCrossEntropyLoss(temperature, kind), student, teacher);
        var (kdValue, kdGrad) = ValueAndGrad(kd, student, teacher);

        // The teacher's entropy, computed here from plain probabilities: p = softmax(z/T), or [sigmoid, 1 - sigmoid].
        var p = kind == LogitKind.Multiclass
            ? nn.functional.softmax(teacher / temperature, 1)
            : cat([sigmoid(teacher / temperature), 1 - sigmoid(teacher / temperature)], 1);
        double entropy = (-(p * p.log()).sum(1)).mean().item<double>();

        Tolerance.AssertClose(kdValue + temperature * temperature * entropy, nceValue, rel: 1e-10, what: "CE = KD + T² H(p_t)");
        Assert.True(nceValue - kdValue > 0.1, "the two losses should be shifted by a visible constant");
        Tolerance.AssertClose(kdGrad, nceGrad, rel: 1e-10, abs: 1e-14, what: "CE vs KD gradient");
    }

    [Fact]
    public void GradientReachesStudentButNeverTeacher()
    {
        var student = Random(25, 8, 10).requires_grad_(true);
        var teacher = Random(26, 8, 10).requires_grad_(true);
        new NegativeSoftTargetCrossEntropyLoss().Compute(Context(student, teacher)).backward();
        Assert.True(student.grad!.abs().sum().item<double>() > 0, "the student logits received no gradient");
        Assert.Null(teacher.grad);
    }
}
