using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Tests.Reference;
using TorchSharp;
using static Distill.Tests.Losses.Feature.FeatureLossesA;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Feature;

public class RelationalKnowledgeDistillationLossTests
{
    [Theory]
    [InlineData("flat")]
    [InlineData("seq")]
    public void RelationalKnowledgeDistillationMatchesPyTorchValueAndGradient(string caseName)
    {
        var data = Case(caseName);
        var reference = data.GetProperty("rkd");
        Tensor student = Load(data.GetProperty("student"), requiresGrad: true), teacher = Load(data.GetProperty("teacher"));

        Tensor value = new RelationalKnowledgeDistillationLoss(LayerPair.Last).Compute(Context(student, teacher));
        value.backward();

        Tolerance.AssertClose(reference.GetProperty("loss").GetDouble(), Scalar(value), what: $"rkd {caseName} loss");
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("grad_student")), Values(student.grad!), what: $"rkd {caseName} dL/dstudent");
    }

    [Theory]
    [InlineData("flat")]
    [InlineData("seq")]
    public void RelationalKnowledgeDistillationTermsMatchPyTorchSeparately(string caseName)
    {
        var data = Case(caseName);
        var reference = data.GetProperty("rkd");
        Tensor student = Load(data.GetProperty("student")), teacher = Load(data.GetProperty("teacher"));
        var distanceOnly = new RelationalKnowledgeDistillationLoss(LayerPair.Last, new(DistanceWeight: 1, AngleWeight: 0));
        var angleOnly = new RelationalKnowledgeDistillationLoss(LayerPair.Last, new(DistanceWeight: 0, AngleWeight: 1));
        Tolerance.AssertClose(reference.GetProperty("distance").GetDouble(), Scalar(distanceOnly.Compute(Context(student, teacher))), what: "rkd distance");
        Tolerance.AssertClose(reference.GetProperty("angle").GetDouble(), Scalar(angleOnly.Compute(Context(student, teacher))), what: "rkd angle");
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(0, 1)]
    public void RelationalKnowledgeDistillationTermsAreScaleInvariantAndZeroForIdenticalFeatures(double distance, double angle)
    {
        var data = Case("seq");
        Tensor student = Load(data.GetProperty("student")), teacher = Load(data.GetProperty("teacher"));
        var loss = new RelationalKnowledgeDistillationLoss(LayerPair.Last, new(distance, angle));
        double plain = Scalar(loss.Compute(Context(student, teacher)));
        Assert.True(plain > 1e-3, "the check needs a non-trivial loss");
        Tolerance.AssertClose(plain, Scalar(loss.Compute(Context(student, teacher * 3.7))), what: "rkd with teacher x 3.7");
        Assert.Equal(0.0, Scalar(loss.Compute(Context(student, student.clone()))), 9);
    }

    [Fact]
    public void RelationalKnowledgeDistillationGradientReachesOnlyTheStudent()
    {
        var data = Case("flat");
        AssertGradientReachesOnlyStudent(new RelationalKnowledgeDistillationLoss(LayerPair.Last), Load(data.GetProperty("student")), Load(data.GetProperty("teacher")));
    }

    [Fact]
    public void RelationalKnowledgeDistillationRejectsBadInputWithTheLossNameAndTheFix()
    {
        var data = Case("flat");
        Tensor student = Load(data.GetProperty("student")), teacher = Load(data.GetProperty("teacher"));
        var loss = new RelationalKnowledgeDistillationLoss(LayerPair.Last);
        AssertRejectsBadInput(loss, "RelationalKnowledgeDistillationLoss (rkd)", student, teacher);
        var single = Assert.Throws<ArgumentException>(() => loss.Compute(Context(student[..1], teacher[..1])));
        Assert.Contains("at least 2 samples", single.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RelationalKnowledgeDistillationLoss(LayerPair.Last, new(DistanceWeight: -1)));
    }
}
