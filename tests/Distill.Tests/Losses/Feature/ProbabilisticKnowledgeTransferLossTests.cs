using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Tests.Reference;
using TorchSharp;
using static Distill.Tests.Losses.Feature.FeatureLossesA;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Feature;

public class ProbabilisticKnowledgeTransferLossTests
{
    [Theory]
    [InlineData("flat")]
    [InlineData("seq")]
    public void ProbabilisticKnowledgeTransferMatchesPyTorchValueAndGradient(string caseName)
    {
        var data = Case(caseName);
        var reference = data.GetProperty("pkt");
        Tensor student = Load(data.GetProperty("student"), requiresGrad: true), teacher = Load(data.GetProperty("teacher"));

        Tensor value = new ProbabilisticKnowledgeTransferLoss(LayerPair.Last).Compute(Context(student, teacher));
        value.backward();

        Tolerance.AssertClose(reference.GetProperty("loss").GetDouble(), Scalar(value), what: $"pkt {caseName} loss");
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("grad_student")), Values(student.grad!), what: $"pkt {caseName} dL/dstudent");
    }

    [Fact]
    public void ProbabilisticKnowledgeTransferRowsAreProbabilityDistributions()
    {
        Tensor p = ProbabilisticKnowledgeTransferLoss.ConditionalProbabilities(Load(Case("seq").GetProperty("teacher")));
        Tolerance.AssertClose(Enumerable.Repeat(1.0, 6).ToArray(), Values(p.sum(1)), what: "row sums");
        Assert.True(p.min().item<float>() >= 0);
    }

    [Fact]
    public void ProbabilisticKnowledgeTransferIsScaleInvariantAndZeroForIdenticalFeatures()
    {
        var data = Case("flat");
        Tensor student = Load(data.GetProperty("student")), teacher = Load(data.GetProperty("teacher"));
        var loss = new ProbabilisticKnowledgeTransferLoss(LayerPair.Last);
        double plain = Scalar(loss.Compute(Context(student, teacher)));
        Assert.True(plain > 1e-3, "the check needs a non-trivial loss");
        Tolerance.AssertClose(plain, Scalar(loss.Compute(Context(student, teacher * 3.7))), what: "pkt with teacher x 3.7");
        Assert.Equal(0.0, Scalar(loss.Compute(Context(student, student.clone()))), 9);
    }

    [Fact]
    public void ProbabilisticKnowledgeTransferGradientReachesOnlyTheStudent()
    {
        var data = Case("seq");
        AssertGradientReachesOnlyStudent(new ProbabilisticKnowledgeTransferLoss(LayerPair.Last), Load(data.GetProperty("student")), Load(data.GetProperty("teacher")));
    }

    [Fact]
    public void ProbabilisticKnowledgeTransferRejectsBadInputWithTheLossNameAndTheFix()
    {
        var data = Case("seq");
        AssertRejectsBadInput(new ProbabilisticKnowledgeTransferLoss(LayerPair.Last), "ProbabilisticKnowledgeTransferLoss (pkt)",
            Load(data.GetProperty("student")), Load(data.GetProperty("teacher")));
    }
}
