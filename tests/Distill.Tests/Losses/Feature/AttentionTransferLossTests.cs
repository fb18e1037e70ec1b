using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Tests.Reference;
using TorchSharp;
using static Distill.Tests.Losses.Feature.FeatureLossesA;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Feature;

public class AttentionTransferLossTests
{
    private static readonly LayerPair[] TwoPairs = [new(0, 0), new(1, 1)];

    [Theory]
    [InlineData("flat")]
    [InlineData("seq")]
    public void AttentionTransferMatchesPyTorchOverTwoPairsWithDifferentWidths(string caseName)
    {
        var data = Case(caseName);
        var reference = data.GetProperty("at");
        Tensor s1 = Load(data.GetProperty("student"), requiresGrad: true), s2 = Load(data.GetProperty("student2"), requiresGrad: true);
        Tensor t1 = Load(data.GetProperty("teacher")), t2 = Load(data.GetProperty("teacher2"));
        var loss = new AttentionTransferLoss(TwoPairs);

        Tensor value = loss.Compute(Context([s1, s2], [t1, t2]));
        value.backward();

        Tolerance.AssertClose(reference.GetProperty("loss").GetDouble(), Scalar(value), what: $"at {caseName} loss");
        var grads = reference.GetProperty("grad_students");
        Tolerance.AssertClose(ReferenceData.Doubles(grads[0]), Values(s1.grad!), what: $"at {caseName} dL/ds1");
        Tolerance.AssertClose(ReferenceData.Doubles(grads[1]), Values(s2.grad!), what: $"at {caseName} dL/ds2");
    }

    [Fact]
    public void AttentionTransferPoolsTheLongerFeatureWhenLengthsDiffer()
    {
        var data = Case("at_lengths");
        var reference = data.GetProperty("at");
        Tensor student = Load(data.GetProperty("student"), requiresGrad: true);   // [6, 5, 8]
        Tensor teacher = Load(data.GetProperty("teacher"));                       // [6, 7, 4]

        Tensor value = new AttentionTransferLoss([LayerPair.Last]).Compute(Context(student, teacher));
        value.backward();

        Tolerance.AssertClose(reference.GetProperty("loss").GetDouble(), Scalar(value), what: "at lengths loss");
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("grad_students")[0]), Values(student.grad!), what: "at lengths dL/ds");
    }

    [Theory]
    [InlineData("flat")]
    [InlineData("seq")]
    public void AttentionTransferIsUnchangedWhenTheTeacherFeatureIsScaled(string caseName)
    {
        var data = Case(caseName);
        Tensor student = Load(data.GetProperty("student")), teacher = Load(data.GetProperty("teacher"));
        var loss = new AttentionTransferLoss([LayerPair.Last]);
        double plain = Scalar(loss.Compute(Context(student, teacher)));
        double scaled = Scalar(loss.Compute(Context(student, teacher * 3.7)));
        Assert.True(plain > 1e-3, "the check needs a non-trivial loss");
        Tolerance.AssertClose(plain, scaled, what: "at with teacher x 3.7");
    }

    [Theory]
    [InlineData("flat")]
    [InlineData("seq")]
    public void AttentionTransferIsZeroForIdenticalFeatures(string caseName)
    {
        Tensor feature = Load(Case(caseName).GetProperty("student"));
        Assert.Equal(0.0, Scalar(new AttentionTransferLoss([LayerPair.Last]).Compute(Context(feature, feature.clone()))), 9);
    }

    [Fact]
    public void AttentionTransferMapOfADenseFeatureIsTheNormalisedUnitEnergy()
    {
        Tensor feature = tensor(new float[] { 3, -4, 0 }).reshape(1, 3);
        var map = new AttentionTransferLoss([LayerPair.Last]).AttentionMap(feature);
        // |a|^2 = [9, 16, 0], norm sqrt(337)
        double norm = Math.Sqrt(337);
        Tolerance.AssertClose([9 / norm, 16 / norm, 0], Values(map), what: "dense attention map");
    }

    [Theory]
    [InlineData("flat")]
    [InlineData("seq")]
    public void AttentionTransferGradientReachesOnlyTheStudent(string caseName)
    {
        var data = Case(caseName);
        AssertGradientReachesOnlyStudent(new AttentionTransferLoss([LayerPair.Last]), Load(data.GetProperty("student")), Load(data.GetProperty("teacher")));
    }

    [Fact]
    public void AttentionTransferRejectsBadInputWithTheLossNameAndTheFix()
    {
        var data = Case("seq");
        var loss = new AttentionTransferLoss([LayerPair.Last]);
        Tensor student = Load(data.GetProperty("student")), teacher = Load(data.GetProperty("teacher"));
        AssertRejectsBadInput(loss, "AttentionTransferLoss (at)", student, teacher);
        var layout = Assert.Throws<ArgumentException>(() => loss.Compute(Context(student, teacher[.., .., 0])));
        Assert.Contains("different layouts", layout.Message);
        Assert.Throws<ArgumentException>(() => new AttentionTransferLoss([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AttentionTransferLoss([LayerPair.Last], new AttentionTransferOptions(P: 0)));
    }
}
