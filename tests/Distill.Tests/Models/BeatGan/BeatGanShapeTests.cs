using Distill.Models;
using Distill.Models.BeatGan;
using Distill.Runtime;
using static TorchSharp.torch;

namespace Distill.Tests.Models.BeatGan;

public class BeatGanShapeTests
{
    public static TheoryData<int, int, int> Widths => new()
    {
        { 50, 32, 32 },  // the paper's teacher
        { 5, 3, 2 },     // a narrow student; ngf != ndf so a width mix-up changes the shapes
    };

    private static long[][] Shapes(IReadOnlyList<Tensor> tensors) => tensors.Select(t => t.shape).ToArray();

    private static long[][] EncoderShapes(long batch, long w) =>
        Enumerable.Range(0, 5).Select(k => new[] { batch, w << k, 160L >> k }).ToArray();

    [Theory]
    [MemberData(nameof(Widths))]
    public void GeneratorReturnsElevenFeaturesInEncoderLatentDecoderOrder(int nz, int ngf, int ndf)
    {
        using var scope = NewDisposeScope();
        var g = new BeatGanGenerator(new BeatGanOptions(LatentSize: nz, GeneratorWidth: ngf, DiscriminatorWidth: ndf));
        var x = rand(3, 1, 320, device: DistillDevice.Current) * 2 - 1;
        var pass = g.Reconstruct(x);

        var expected = EncoderShapes(3, ngf)
            .Append(new[] { 3L, nz, 1 })
            .Concat(Enumerable.Range(0, 5).Select(k => new[] { 3L, (long)ngf << (4 - k), 10L << k }))
            .ToArray();
        Assert.Equal(expected, Shapes(pass.Pass.Features));
        Assert.Equal(expected, Shapes(pass.Pass.PreActivations));
        Assert.Equal(new long[] { 3, 1, 320 }, pass.Reconstruction.shape);
        Assert.Equal(new long[] { 3, nz, 1 }, pass.Latent.shape);
        Assert.Equal(5, pass.EncoderFeatures.Count);
        Assert.Equal(5, pass.DecoderFeatures.Count);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void DiscriminatorReturnsOneLogitPerBeatAndFiveBlocks(int nz, int ngf, int ndf)
    {
        using var scope = NewDisposeScope();
        var d = new BeatGanDiscriminator(new BeatGanOptions(LatentSize: nz, GeneratorWidth: ngf, DiscriminatorWidth: ndf));
        var pass = d.ForwardFeatures(rand(4, 1, 320, device: DistillDevice.Current));

        Assert.Equal(new long[] { 4 }, pass.Output.shape);
        Assert.Equal(EncoderShapes(4, ndf), Shapes(pass.Features));
        Assert.Equal(EncoderShapes(4, ndf), Shapes(pass.PreActivations));
    }

    [Fact]
    public void FeaturesAreTheBlockActivationsOfTheirPreActivations()
    {
        using var scope = NewDisposeScope();
        var options = new BeatGanOptions(LatentSize: 4, GeneratorWidth: 2, DiscriminatorWidth: 2);
        var x = rand(2, 1, 320, device: DistillDevice.Current) * 2 - 1;
        var g = new BeatGanGenerator(options).ForwardFeatures(x);
        var d = new BeatGanDiscriminator(options).ForwardFeatures(x);

        for (int i = 0; i < 5; i++)
        {
            AssertEqual(nn.functional.leaky_relu(g.PreActivations[i], 0.2), g.Features[i], $"encoder block {i}");
            AssertEqual(nn.functional.leaky_relu(d.PreActivations[i], 0.2), d.Features[i], $"discriminator block {i}");
            AssertEqual(nn.functional.relu(g.PreActivations[6 + i]), g.Features[6 + i], $"decoder block {i}");
        }
        Assert.Same(g.PreActivations[BeatGanGenerator.LatentIndex], g.Features[BeatGanGenerator.LatentIndex]);
        // Pre-activations are not activated: LeakyReLU/ReLU would leave no negative values.
        Assert.True(g.PreActivations[1].min().item<float>() < 0);
        Assert.True(g.PreActivations[7].min().item<float>() < 0);
    }

    [Fact]
    public void ForwardAndForwardFeaturesGiveTheSameOutput()
    {
        using var scope = NewDisposeScope();
        var options = new BeatGanOptions(LatentSize: 4, GeneratorWidth: 2, DiscriminatorWidth: 2);
        var g = new BeatGanGenerator(options);
        var d = new BeatGanDiscriminator(options);
        g.eval(); d.eval();
        var x = rand(2, 1, 320, device: DistillDevice.Current);
        AssertEqual(g.forward(x), g.ForwardFeatures(x).Output, "generator");
        AssertEqual(g.Encode(x), g.Reconstruct(x).Latent, "latent");
        AssertEqual(d.forward(x), d.ForwardFeatures(x).Output, "discriminator");
        AssertEqual(d.forward(x).sigmoid(), d.Probability(x), "probability");
    }

    [Fact]
    public void GradientReachesTheInputThroughEveryFeature()
    {
        using var scope = NewDisposeScope();
        var g = new BeatGanGenerator(new BeatGanOptions(LatentSize: 4, GeneratorWidth: 2, DiscriminatorWidth: 2));
        var x = (rand(2, 1, 320, device: DistillDevice.Current) * 2 - 1).requires_grad_();
        FeatureOutput pass = g.ForwardFeatures(x);
        foreach (var f in pass.Features)
        {
            x.grad?.zero_();
            f.sum().backward(retain_graph: true);
            Assert.True(x.grad!.abs().sum().item<float>() > 0);
        }
    }

    private static void AssertEqual(Tensor expected, Tensor actual, string what) =>
        Assert.True(allclose(expected, actual, rtol: 0, atol: 0), $"{what}: tensors differ");
}
