using Distill.Losses.Crd;
using Distill.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Crd;

public class AliasSamplerTests
{
    [Fact]
    public void DrawFrequenciesMatchTheProbabilities()
    {
        double[] weights = [5, 1, 0, 2, 8, 4];
        double total = weights.Sum();
        using var sampler = new AliasSampler(weights, device: DistillDevice.Current);
        using var generator = new torch.Generator(42, DistillDevice.Current);
        const int draws = 20000;

        var counts = sampler.Draw([draws], generator).bincount(null, weights.Length).to(ScalarType.Float64).cpu().data<double>().ToArray();

        // Pearson chi-square over the 5 outcomes with non-zero weight (4 d.o.f.): 18.5 is the 0.999 quantile.
        double chi2 = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            double expected = draws * weights[i] / total;
            if (expected == 0) Assert.Equal(0, counts[i]);
            else chi2 += Math.Pow(counts[i] - expected, 2) / expected;
        }
        Assert.True(chi2 < 18.5, $"chi-square {chi2:F1} over 4 degrees of freedom: frequencies [{string.Join(", ", counts)}]");
    }

    [Fact]
    public void TablesReproduceEachProbability()
    {
        double[] weights = [0.1, 0.4, 0.2, 0.3];
        using var sampler = new AliasSampler(weights, device: DistillDevice.Current);
        var keep = sampler.KeepProbabilities.to(ScalarType.Float64).cpu().data<double>().ToArray();
        var alias = sampler.Aliases.cpu().data<long>().ToArray();
        // P(i) = (q_i + Σ_{j: alias j = i} (1 − q_j)) / N.
        for (int i = 0; i < weights.Length; i++)
        {
            double p = keep[i];
            for (int j = 0; j < weights.Length; j++) if (alias[j] == i && j != i) p += 1 - keep[j];
            Assert.Equal(weights[i], p / weights.Length, 6);
        }
    }

    [Fact]
    public void SameGeneratorSeedGivesTheSameDraws()
    {
        using var sampler = AliasSampler.Uniform(1000, device: DistillDevice.Current);
        using var a = new torch.Generator(7, DistillDevice.Current);
        using var b = new torch.Generator(7, DistillDevice.Current);
        var first = sampler.Draw([3, 50], a);
        Assert.Equal(new long[] { 3, 50 }, first.shape);
        Assert.True(Same.Tensors(first, sampler.Draw([3, 50], b)));
        Assert.True(first.min().item<long>() >= 0 && first.max().item<long>() < 1000);
    }

    [Fact]
    public void BadWeightsAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new AliasSampler([]));
        Assert.Throws<ArgumentException>(() => new AliasSampler([1, -1]));
        Assert.Throws<ArgumentException>(() => new AliasSampler([0, 0]));
        Assert.Throws<ArgumentException>(() => new AliasSampler([1, double.NaN]));
    }
}
