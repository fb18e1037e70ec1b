using Distill.Losses;
using Distill.Runtime;
using Distill.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;
using static Distill.Tests.Losses.Logit.LogitCases;

namespace Distill.Tests.Losses.Logit;

public class DecoupledKnowledgeDistillationLossTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void ValueTermsAndGradientMatchPyTorch(int index)
    {
        var c = Case("dkd", index);
        var options = new DkdOptions(c.GetProperty("alpha").GetDouble(), c.GetProperty("beta").GetDouble(), c.GetProperty("T").GetDouble());
        var loss = new DecoupledKnowledgeDistillationLoss(options);
        var student = Float64(c.GetProperty("student"), 8, 10);
        var teacher = Float64(c.GetProperty("teacher"), 8, 10);
        var targets = Labels(c.GetProperty("targets"));

        var (value, grad) = ValueAndGrad(loss, student, teacher, targets);
        Tolerance.AssertClose(c.GetProperty("loss").GetDouble(), value, what: $"DKD loss {options}");
        Tolerance.AssertClose(ReferenceData.Doubles(c.GetProperty("grad")), grad, what: $"DKD gradient {options}");
        var (tckd, nckd) = loss.Decompose(Context(student, teacher, targets));
        Tolerance.AssertClose(c.GetProperty("tckd").GetDouble(), tckd.item<double>(), what: "TCKD");
        Tolerance.AssertClose(c.GetProperty("nckd").GetDouble(), nckd.item<double>(), what: "NCKD");
    }

    [Fact]
    public void DefaultsAreThePapers()
        => Assert.Equal(new DkdOptions(Alpha: 1, Beta: 8, Temperature: 4), new DecoupledKnowledgeDistillationLoss().Options);

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(7)]
    public void ReformulatesKdPerExample(int target)
    {
        // Zhao et al., Eq. 6, for one example: KD = TCKD + (1 - p_t,gt) · NCKD, with p_t,gt the teacher's softened target probability.
        const double t = 4.0;
        var student = Random(31 + target, 1, 10);
        var teacher = Random(41 + target, 1, 10);
        var labels = tensor(new long[] { target }, device: DistillDevice.Current);
        var (tckd, nckd) = new DecoupledKnowledgeDistillationLoss(new DkdOptions(Temperature: t)).Decompose(Context(student, teacher, labels));
        var (kd, _) = ValueAndGrad(new KnowledgeDistillationLoss(t), student, teacher);
        double teacherTarget = nn.functional.softmax(teacher / t, 1)[0, target].item<double>();
        Tolerance.AssertClose(kd, tckd.item<double>() + (1 - teacherTarget) * nckd.item<double>(), rel: 1e-9, what: "KD vs TCKD + (1 - p_t) NCKD");
    }

    [Fact]
    public void DivergenceOfIdenticalLogitsIsZero()
    {
        var z = Random(51, 8, 10);
        var targets = arange(8, ScalarType.Int64, DistillDevice.Current);
        var (loss, grad) = ValueAndGrad(new DecoupledKnowledgeDistillationLoss(), z, z.clone(), targets);
        Assert.Equal(0.0, loss, 10);
        Assert.All(grad, g => Assert.Equal(0.0, g, 10));
    }

    [Fact]
    public void GradientReachesStudentButNeverTeacher()
    {
        var student = Random(52, 8, 10).requires_grad_(true);
        var teacher = Random(53, 8, 10).requires_grad_(true);
        var targets = arange(8, ScalarType.Int64, DistillDevice.Current);
        new DecoupledKnowledgeDistillationLoss().Compute(Context(student, teacher, targets)).backward();
        Assert.True(student.grad!.abs().sum().item<double>() > 0, "the student logits received no gradient");
        Assert.Null(teacher.grad);
    }

    [Fact]
    public void OutOfRangeTargetsAreRejected()
    {
        var targets = tensor(new long[] { 0, 1, 2, 3, 4, 5, 6, 10 }, device: DistillDevice.Current);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new DecoupledKnowledgeDistillationLoss().Compute(Context(Random(54, 8, 10), Random(55, 8, 10), targets)));
        Assert.Contains("0..9", error.Message);
    }

    [Fact]
    public void ProbabilityTargetsAreRejected()
    {
        var targets = rand(8, 10, ScalarType.Float64, DistillDevice.Current);
        var error = Assert.Throws<ArgumentException>(() =>
            new DecoupledKnowledgeDistillationLoss().Compute(Context(Random(56, 8, 10), Random(57, 8, 10), targets)));
        Assert.Contains("class indices", error.Message);
    }

    [Fact]
    public void TargetCountMustMatchTheBatch()
    {
        var targets = zeros(5, ScalarType.Int64, DistillDevice.Current);
        var error = Assert.Throws<ArgumentException>(() =>
            new DecoupledKnowledgeDistillationLoss().Compute(Context(Random(58, 8, 10), Random(59, 8, 10), targets)));
        Assert.Contains("[batch] = [8]", error.Message);
    }

    [Fact]
    public void NegativeWeightsAreRejected()
        => Assert.Throws<ArgumentOutOfRangeException>(() => new DecoupledKnowledgeDistillationLoss(new DkdOptions(Beta: -1)));
}
