using Distill.Distillation.BeatGan;
using Distill.Experiments.BeatGan;
using Distill.Models.BeatGan;
using Distill.Runtime;
using System.Diagnostics;
using static TorchSharp.torch;

namespace Distill.Bench;

/// <summary>The multiply-adds of one BeatGAN training step, and this CPU's measured dense-matmul rate to compare them with.</summary>
/// <remarks>
/// Per beat, with G the generator's forward multiply-adds (<see cref="BeatGanCompression.GeneratorMultiplyAdds"/>) and D the
/// discriminator's (its encoder of ndf channels to one logit), the step of Zhou et al. (IJCAI 2019) as our trainer runs it:
/// G forward once (1 G); D step: D on x and on G(x) (2 D), backward with weight and input gradients (2 × 2 D); G step:
/// D on G(x) and on x (2 D), backward through D for input gradients only (1 D, D frozen) and through G (2 G).
/// Total 3 G + 9 D (a backward taken as twice its forward, an input-only backward as once). Convolutions only: BatchNorm,
/// LeakyReLU, the losses and Adam are a few per cent of that.
/// </remarks>
public static class StepFlops
{
    /// <summary>Multiply-adds of one training step for one beat, 3 G + 9 D.</summary>
    public static long BeatGanStepMultiplyAdds(BeatGanOptions options)
        => 3 * BeatGanCompression.GeneratorMultiplyAdds(options) + 9 * DiscriminatorMultiplyAdds(options);

    /// <summary>Convolution multiply-adds of the discriminator for one beat: five stride-2 kernel-4 blocks, then one logit.</summary>
    public static long DiscriminatorMultiplyAdds(BeatGanOptions options)
    {
        long sum = 0, channels = options.Channels, length = options.SignalLength;
        for (int k = 0; k < BeatGanOptions.DownsamplingBlocks; k++)
        {
            long next = (long)options.DiscriminatorWidth << k;
            length /= 2;
            sum += channels * next * 4 * length;
            channels = next;
        }
        return sum + channels * options.BottleneckLength; // the last conv to one logit
    }

    /// <summary>The median rate of float32 [n, n] × [n, n] products on <see cref="DistillDevice.Current"/>, in GFLOP/s (2 flops per multiply-add).</summary>
    public static double MatmulGflops(int n = 1024, int repeats = 7)
    {
        using var scope = NewDisposeScope();
        var a = randn(n, n, device: DistillDevice.Current);
        var b = randn(n, n, device: DistillDevice.Current);
        _ = a.mm(b).sum().item<float>();
        var times = new List<double>();
        for (int i = 0; i < repeats; i++)
        {
            var clock = Stopwatch.StartNew();
            _ = a.mm(b).sum().item<float>();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        return 2.0 * n * n * n / times.Order().ElementAt(repeats / 2) / 1e9;
    }
}
