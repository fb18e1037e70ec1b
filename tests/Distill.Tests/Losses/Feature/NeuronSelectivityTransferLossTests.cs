using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Tests.Reference;
using static Distill.Tests.Losses.Feature.FeatureLossesBReference;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Feature;

public class NeuronSelectivityTransferLossTests
{
    [Theory]
    [InlineData("sequence_widths_differ", false)]
    [InlineData("sequence_widths_differ", true)]
    [InlineData("sequence_lengths_differ", false)]
    [InlineData("sequence_lengths_differ", true)]
    public void NeuronSelectivityTransferLossMatchesPyTorch(string name, bool single)
    {
        var reference = Case("nst", name);
        var (rel, abs) = Tolerances(single);
        var student = Tensor(reference.GetProperty("student"), requiresGrad: true, dtype: Dtype(single));
        var teacher = Tensor(reference.GetProperty("teacher"), requiresGrad: true, dtype: Dtype(single));

        var loss = new NeuronSelectivityTransferLoss(LayerPair.Last).Compute(Context(student, teacher));
        loss.backward();

        Tolerance.AssertClose(reference.GetProperty("loss").GetDouble(), loss.to(ScalarType.Float64).item<double>(), rel, abs, what: "nst loss");
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("gradStudent")), Values(student.grad!), rel, abs, what: "nst dL/dstudent");
        AssertNonZeroGradient(student.grad, "nst student feature");
        Assert.Null(teacher.grad);
    }

    [Fact]
    public void NeuronSelectivityTransferLossIsZeroOnIdenticalFeaturesAndPositiveOtherwise()
    {
        var feature = RandomFeature(8, 6, 10);
        var loss = new NeuronSelectivityTransferLoss();
        Assert.True(Math.Abs(loss.Compute(Context(feature, feature.clone())).item<float>()) < 1e-6);
        Assert.True(loss.Compute(Context(feature, RandomFeature(8, 6, 10))).item<float>() > 1e-3);
    }

    [Fact]
    public void NeuronSelectivityTransferLossSumsOverPairs()
    {
        var student = new[] { RandomFeature(4, 3, 5), RandomFeature(4, 6, 5) };
        var teacher = new[] { RandomFeature(4, 5, 5), RandomFeature(4, 7, 5) };
        var pairs = new[] { new LayerPair(0, 0), new LayerPair(1, 1) };
        double both = new NeuronSelectivityTransferLoss(pairs).Compute(Context(student, teacher)).item<float>();
        double separate = pairs.Sum(p => NeuronSelectivityTransferLoss.Mmd(student[p.Student], teacher[p.Teacher], p).item<float>());
        Tolerance.AssertClose(separate, both, what: "sum over pairs");
    }

    [Fact]
    public void NeuronSelectivityTransferLossRejectsVectorFeaturesWhoseMmdIsAlwaysZero()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new NeuronSelectivityTransferLoss().Compute(Context(RandomFeature(4, 5), RandomFeature(4, 7))));
        Assert.Contains("nst", error.Message);
        Assert.Contains("identically 0", error.Message);
        var singlePosition = Assert.Throws<ArgumentException>(() =>
            new NeuronSelectivityTransferLoss().Compute(Context(RandomFeature(4, 5, 1), RandomFeature(4, 7, 1))));
        Assert.Contains("one position per channel", singlePosition.Message);
    }

    [Fact]
    public void NeuronSelectivityTransferLossRejectsBadInputWithTheFix()
    {
        var loss = new NeuronSelectivityTransferLoss();
        var batch = Assert.Throws<ArgumentException>(() => loss.Compute(Context(RandomFeature(4, 5, 6), RandomFeature(3, 5, 6))));
        Assert.Contains("batch sizes differ (4 vs 3)", batch.Message);
        var rank = Assert.Throws<ArgumentException>(() => loss.Compute(Context(RandomFeature(4, 5, 6, 6), RandomFeature(4, 5, 6))));
        Assert.Contains("[4, 5, 6, 6]", rank.Message);
        var nan = RandomFeature(4, 5, 6);
        nan[1, 2, 3] = tensor(float.NaN);
        var nanError = Assert.Throws<ArgumentException>(() => loss.Compute(Context(nan, RandomFeature(4, 5, 6))));
        Assert.Contains("NaN", nanError.Message);
        Assert.Contains("student", nanError.Message);
    }
}
