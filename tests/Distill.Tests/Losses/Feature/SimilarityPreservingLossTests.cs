using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Tests.Reference;
using TorchSharp;
using static Distill.Tests.Losses.Feature.FeatureLossesA;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Feature;

public class SimilarityPreservingLossTests
{
    [Theory]
    [InlineData("flat")]
    [InlineData("seq")]
    public void SimilarityPreservingMatchesPyTorchOverTwoPairs(string caseName)
    {
        var data = Case(caseName);
        var reference = data.GetProperty("sp");
        Tensor s1 = Load(data.GetProperty("student"), requiresGrad: true), s2 = Load(data.GetProperty("student2"), requiresGrad: true);
        Tensor t1 = Load(data.GetProperty("teacher")), t2 = Load(data.GetProperty("teacher2"));

        Tensor value = new SimilarityPreservingLoss([new(0, 0), new(1, 1)]).Compute(Context([s1, s2], [t1, t2]));
        value.backward();

        Tolerance.AssertClose(reference.GetProperty("loss").GetDouble(), Scalar(value), what: $"sp {caseName} loss");
        var grads = reference.GetProperty("grad_students");
        Tolerance.AssertClose(ReferenceData.Doubles(grads[0]), Values(s1.grad!), what: $"sp {caseName} dL/ds1");
        Tolerance.AssertClose(ReferenceData.Doubles(grads[1]), Values(s2.grad!), what: $"sp {caseName} dL/ds2");
    }

    [Fact]
    public void SimilarityPreservingComparesADenseStudentWithAConvolutionalTeacher()
    {
        // Only batch similarities are compared, so layouts may differ: [6, 5] against [6, 7, 4].
        Tensor student = Load(Case("flat").GetProperty("student"));
        Tensor teacher = Load(Case("seq").GetProperty("teacher"));
        Assert.True(Scalar(new SimilarityPreservingLoss([LayerPair.Last]).Compute(Context(student, teacher))) > 0);
    }

    [Theory]
    [InlineData("flat")]
    [InlineData("seq")]
    public void SimilarityPreservingIsScaleInvariantAndZeroForIdenticalFeatures(string caseName)
    {
        var data = Case(caseName);
        Tensor student = Load(data.GetProperty("student")), teacher = Load(data.GetProperty("teacher"));
        var loss = new SimilarityPreservingLoss([LayerPair.Last]);
        double plain = Scalar(loss.Compute(Context(student, teacher)));
        Assert.True(plain > 1e-3, "the check needs a non-trivial loss");
        Tolerance.AssertClose(plain, Scalar(loss.Compute(Context(student, teacher * 3.7))), what: "sp with teacher x 3.7");
        Assert.Equal(0.0, Scalar(loss.Compute(Context(student, student.clone()))), 9);
    }

    [Fact]
    public void SimilarityPreservingGradientReachesOnlyTheStudent()
    {
        var data = Case("seq");
        AssertGradientReachesOnlyStudent(new SimilarityPreservingLoss([LayerPair.Last]), Load(data.GetProperty("student")), Load(data.GetProperty("teacher")));
    }

    [Fact]
    public void SimilarityPreservingRejectsBadInputWithTheLossNameAndTheFix()
    {
        var data = Case("flat");
        AssertRejectsBadInput(new SimilarityPreservingLoss([LayerPair.Last]), "SimilarityPreservingLoss (sp)",
            Load(data.GetProperty("student")), Load(data.GetProperty("teacher")));
        Assert.Throws<ArgumentException>(() => new SimilarityPreservingLoss([]));
    }
}
