using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Runtime;
using Distill.Tests.Reference;
using TorchSharp;
using static Distill.Tests.Losses.Feature.FeatureLossesBReference;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Feature;

public class FactorTransferLossTests
{
    [Theory]
    [InlineData("vector", FactorTransferLayout.Vector, false)]
    [InlineData("vector", FactorTransferLayout.Vector, true)]
    [InlineData("sequence", FactorTransferLayout.Sequence, false)]
    [InlineData("sequence", FactorTransferLayout.Sequence, true)]
    public void FactorTransferLossMatchesPyTorch(string name, FactorTransferLayout layout, bool single)
    {
        var reference = Case("ft", name);
        var (rel, abs) = Tolerances(single);
        var student = Tensor(reference.GetProperty("student"), requiresGrad: true, dtype: Dtype(single));
        var teacher = Tensor(reference.GetProperty("teacher"), requiresGrad: true, dtype: Dtype(single));
        var paraphraser = new Paraphraser((int)teacher.shape[1], layout);
        var translator = new Translator((int)student.shape[1], paraphraser.FactorChannels, layout);
        paraphraser.to(Dtype(single));
        translator.to(Dtype(single));
        LoadParameters(paraphraser, reference.GetProperty("paraphraser"));
        LoadParameters(translator, reference.GetProperty("translator"));
        var loss = new FactorTransferLoss(LayerPair.Last, paraphraser, translator);
        loss.train();  // the translator's batch norm uses batch statistics, as in the reference

        var value = loss.Compute(Context(student, teacher));
        value.backward();

        Tolerance.AssertClose(reference.GetProperty("loss").GetDouble(), value.to(ScalarType.Float64).item<double>(), rel, abs, what: "ft loss");
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("gradStudent")), Values(student.grad!), rel, abs, what: "ft dL/dstudent");
        var weight = translator.named_parameters().Single(p => p.name == "encoder.layer1.weight").parameter;
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("gradParameterValues")), Values(weight.grad!), rel, abs, what: "ft dL/dtranslator");
        AssertNonZeroGradient(student.grad, "ft student feature");
        Assert.Null(teacher.grad);
        Assert.All(paraphraser.parameters(), p => Assert.Null(p.grad));  // frozen: the teacher factor is a fixed target
        // What an optimiser over the loss's parameters may update: exactly the translator's.
        Assert.Equal(translator.parameters().Count(), loss.parameters().Count(p => p.requires_grad));
    }

    [Theory]
    [InlineData(FactorTransferLayout.Vector)]
    [InlineData(FactorTransferLayout.Sequence)]
    public void FactorTransferParaphraserPretrainingLowersTheReconstructionLoss(FactorTransferLayout layout)
    {
        // Post-ReLU teacher features of rank 3, below the factor's 4 channels, so the bottleneck can represent them.
        Reproducibility.Seed(7);
        var basis = RandomFeature(3, 8);
        var features = layout == FactorTransferLayout.Vector
            ? matmul(RandomFeature(64, 3), basis).relu()                                           // [64, 8]
            : matmul(RandomFeature(16, 6, 3), basis).relu().transpose(1, 2).contiguous();          // [16, 8, 6]
        var paraphraser = new Paraphraser(8, layout);
        var history = paraphraser.Pretrain(features, steps: 50, learningRate: 0.05);
        Assert.Equal(50, history.Count);
        Assert.True(history[^1] < 0.9 * history[0], $"reconstruction loss went from {history[0]} to {history[^1]}");
        Assert.All(history, v => Assert.True(double.IsFinite(v)));
    }

    [Fact]
    public void FactorTransferLossIsZeroWhenTheFactorsAreProportional()
    {
        // Eq. 3 compares L2-normalised factors, so a translator whose output is a positive multiple of the teacher factor costs nothing.
        var paraphraser = new Paraphraser(4, FactorTransferLayout.Vector);
        var translator = new Translator(4, paraphraser.FactorChannels, FactorTransferLayout.Vector);
        var loss = new FactorTransferLoss(LayerPair.Last, paraphraser, translator);
        var teacher = RandomFeature(8, 4).relu();
        var factor = paraphraser.Encode(teacher);
        Assert.True(loss.Distance(RandomFeature(8, 4), teacher).item<float>() > 1e-4);
        var normalise = (Tensor f) => nn.functional.normalize(f, p: 2, dim: 1);
        Assert.True((normalise(3 * factor) - normalise(factor)).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void FactorTransferLossRejectsBadInputWithTheFix()
    {
        var paraphraser = new Paraphraser(8, FactorTransferLayout.Vector);
        var translator = new Translator(5, paraphraser.FactorChannels, FactorTransferLayout.Vector);
        var loss = new FactorTransferLoss(LayerPair.Last, paraphraser, translator);
        var batch = Assert.Throws<ArgumentException>(() => loss.Compute(Context(RandomFeature(4, 5), RandomFeature(3, 8))));
        Assert.Contains("ft: student and teacher batch sizes differ (4 vs 3)", batch.Message);
        var layout = Assert.Throws<ArgumentException>(() => loss.Compute(Context(RandomFeature(4, 5, 6), RandomFeature(4, 8))));
        Assert.Contains("FactorTransferLayout.Sequence", layout.Message);
        var channels = Assert.Throws<ArgumentException>(() => loss.Compute(Context(RandomFeature(4, 5), RandomFeature(4, 9))));
        Assert.Contains("9 channels) but the module was built for 8", channels.Message);
        var nan = RandomFeature(4, 8);
        nan[1, 1] = tensor(float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => loss.Compute(Context(RandomFeature(4, 5), nan))).Message);
        var mismatch = Assert.Throws<ArgumentException>(() =>
            new FactorTransferLoss(LayerPair.Last, paraphraser, new Translator(5, 3, FactorTransferLayout.Vector)));
        Assert.Contains("paraphraser.FactorChannels", mismatch.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => paraphraser.Pretrain(RandomFeature(4, 8), steps: 0));
    }
}
