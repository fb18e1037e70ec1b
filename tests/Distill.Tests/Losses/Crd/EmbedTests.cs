using Distill.Losses.Crd;
using Distill.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Crd;

public class EmbedTests
{
    [Fact]
    public void NormalizeGivesUnitRowsAndKeepsDirection()
    {
        var x = torch.tensor(new float[] { 3, 4, 0, -1, 0, 0 }, [2, 3]);
        var y = new Normalize().forward(x);
        Assert.Equal(new float[] { 0.6f, 0.8f, 0, -1, 0, 0 }, y.data<float>().ToArray());
    }

    [Fact]
    public void EmbedFlattensAndReturnsUnitRows()
    {
        torch.manual_seed(12);
        using var embed = new Embed(2 * 3 * 4, 5, device: DistillDevice.Current);
        var y = embed.forward(torch.randn(7, 2, 3, 4, device: DistillDevice.Current));
        Assert.Equal(new long[] { 7, 5 }, y.shape);
        Assert.True(y.norm(1).sub(1).abs().max().item<float>() < 1e-6);
    }

    [Fact]
    public void EmbedRejectsAFeatureOfAnotherWidth()
    {
        using var embed = new Embed(24, 5, device: DistillDevice.Current);
        var error = Assert.Throws<ArgumentException>(() => embed.forward(torch.randn(7, 25, device: DistillDevice.Current)));
        Assert.Contains("built for 24", error.Message);
    }
}
