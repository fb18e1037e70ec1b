using Distill.Models.BeatGan;
using Distill.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Tests.Models.BeatGan;

/// <summary>The lab notes' discriminator rebuilt the network from the input for each feature; ours runs each layer once.</summary>
public class BeatGanSinglePassTests
{
    private static Dictionary<string, int> CountCalls(nn.Module network)
    {
        var calls = new Dictionary<string, int>();
        foreach (var (name, layer) in network.named_modules())
        {
            if (layer is not (Conv1d or ConvTranspose1d or BatchNorm1d)) continue;
            calls[name] = 0;
            ((nn.Module<Tensor, Tensor>)layer).register_forward_hook((_, _, output) =>
            {
                calls[name]++;
                return output;
            });
        }
        return calls;
    }

    [Fact]
    public void GeneratorFeaturesComeFromOneCallOfEachLayer()
    {
        using var scope = NewDisposeScope();
        var g = new BeatGanGenerator(new BeatGanOptions(LatentSize: 4, GeneratorWidth: 2, DiscriminatorWidth: 2));
        var calls = CountCalls(g);
        var pass = g.ForwardFeatures(rand(2, 1, 320, device: DistillDevice.Current));

        Assert.Equal(11, pass.Features.Count);
        Assert.Equal(6 + 6 + 4 + 5, calls.Count); // 6 convs, 6 transposed convs, 4 + 5 batch norms
        Assert.All(calls, c => Assert.True(c.Value == 1, $"{c.Key} ran {c.Value} times"));
    }

    [Fact]
    public void DiscriminatorFeaturesComeFromOneCallOfEachLayer()
    {
        using var scope = NewDisposeScope();
        var d = new BeatGanDiscriminator(new BeatGanOptions(LatentSize: 4, GeneratorWidth: 2, DiscriminatorWidth: 2));
        var calls = CountCalls(d);
        var pass = d.ForwardFeatures(rand(2, 1, 320, device: DistillDevice.Current));

        Assert.Equal(5, pass.Features.Count);
        Assert.Equal(6 + 4, calls.Count);
        Assert.All(calls, c => Assert.True(c.Value == 1, $"{c.Key} ran {c.Value} times"));
    }
}
