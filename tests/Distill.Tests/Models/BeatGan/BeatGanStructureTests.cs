using Distill.Models.BeatGan;
using Distill.Runtime;
using static TorchSharp.torch;

namespace Distill.Tests.Models.BeatGan;

public class BeatGanStructureTests
{
    private static readonly BeatGanOptions Paper = new();

    [Fact]
    public void ParameterNamesFollowTheAuthorsSequentialIndices()
    {
        var g = new BeatGanGenerator(Paper).state_dict().Keys.ToHashSet();
        var d = new BeatGanDiscriminator(Paper).state_dict().Keys.ToHashSet();

        string[] convs = ["0", "2", "5", "8", "11", "14"];
        Assert.All(convs, i => Assert.Contains($"encoder1.main.{i}.weight", g));
        Assert.All(new[] { "0", "3", "6", "9", "12", "15" }, i => Assert.Contains($"decoder.main.{i}.weight", g));
        Assert.Contains("encoder1.main.3.running_var", g);
        Assert.Contains("decoder.main.13.running_mean", g);
        Assert.All(convs[..^1], i => Assert.Contains($"features.{i}.weight", d));
        Assert.Contains("features.12.bias", d);
        Assert.Contains("classifier.0.weight", d);
        // 6 + 6 conv weights, 9 batch norms x (weight, bias, running mean, running var, batches tracked).
        Assert.Equal(12 + 9 * 5, g.Count);
        Assert.Equal(6 + 4 * 5, d.Count);
    }

    [Fact]
    public void ParameterCountsMatchThePaperArchitecture()
    {
        static long Count(nn.Module m) => m.parameters().Sum(p => p.numel());
        // Encoder convs with w = 32: 1*32*4 + 32*64*4 + 64*128*4 + 128*256*4 + 256*512*4 + 512*nz*10; BN: 2*(64+128+256+512).
        long encoderConvs = 128 + 8192 + 32768 + 131072 + 524288;
        long bn = 2 * (64 + 128 + 256 + 512);
        long generator = encoderConvs + 512 * 50 * 10 + bn + 50 * 512 * 10 + 524288 + 131072 + 32768 + 8192 + 128 + bn + 2 * 32;
        long discriminator = encoderConvs + 512 * 1 * 10 + bn;
        Assert.Equal(generator, Count(new BeatGanGenerator(Paper)));
        Assert.Equal(discriminator, Count(new BeatGanDiscriminator(Paper)));
    }

    [Fact]
    public void InitialisationIsXavierNormalForConvolutionsAndNearOneForBatchNormScales()
    {
        var d = new BeatGanDiscriminator(Paper);
        var state = d.state_dict();
        var conv = state["features.11.weight"]; // [512, 256, 4]: fan_in 1024, fan_out 2048
        double xavierStd = Math.Sqrt(2.0 / (256 * 4 + 512 * 4));
        Assert.InRange(conv.std().item<float>(), 0.97 * xavierStd, 1.03 * xavierStd);
        Assert.InRange(conv.mean().item<float>(), -0.05 * xavierStd, 0.05 * xavierStd);
        var scale = state["features.12.weight"]; // 512 draws of N(1, 0.02)
        Assert.InRange(scale.mean().item<float>(), 0.995, 1.005);
        Assert.InRange(scale.std().item<float>(), 0.017, 0.023);
        Assert.Equal(0f, state["features.12.bias"].abs().max().item<float>());
    }

    [Fact]
    public void ResetParametersRedrawsTheDiscriminatorWeights()
    {
        var d = new BeatGanDiscriminator(new BeatGanOptions(GeneratorWidth: 2, DiscriminatorWidth: 2));
        var before = d.state_dict()["features.5.weight"].clone();
        d.ResetParameters();
        Assert.False(before.allclose(d.state_dict()["features.5.weight"]));
    }

    [Fact]
    public void ModelsLiveOnTheLibraryDevice()
    {
        Assert.All(new BeatGanGenerator(Paper).parameters(), p => Assert.Equal(DistillDevice.Current.type, p.device.type));
        Assert.All(new BeatGanDiscriminator(Paper).parameters(), p => Assert.Equal(DistillDevice.Current.type, p.device.type));
    }

    [Theory]
    [InlineData(2, 1, 320, "[batch, 1, 320]")]
    [InlineData(2, 2, 320, "[batch, 1, 320]")]
    [InlineData(2, 1, 300, "[batch, 1, 320]")]
    public void WrongBeatShapesAreRejectedWithTheExpectedShape(long b, long c, long l, string expected)
    {
        var g = new BeatGanGenerator(new BeatGanOptions(GeneratorWidth: 2, DiscriminatorWidth: 2));
        var d = new BeatGanDiscriminator(new BeatGanOptions(GeneratorWidth: 2, DiscriminatorWidth: 2));
        var x = c == 1 && l == 320 ? zeros(b, l) : zeros(b, c, l);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => g.forward(x)).Message);
        Assert.Contains(expected, Assert.Throws<ArgumentException>(() => d.ForwardFeatures(x)).Message);
    }

    [Fact]
    public void IntegerBeatsAndBadSizesAreRejected()
    {
        var g = new BeatGanGenerator(new BeatGanOptions(GeneratorWidth: 2, DiscriminatorWidth: 2));
        Assert.Contains("floating-point", Assert.Throws<ArgumentException>(() => g.forward(zeros(2, 1, 320, ScalarType.Int64))).Message);
        Assert.Contains("multiple of 32", Assert.Throws<ArgumentException>(() => new BeatGanGenerator(new BeatGanOptions(SignalLength: 300))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BeatGanDiscriminator(new BeatGanOptions(DiscriminatorWidth: 0)));
    }
}
