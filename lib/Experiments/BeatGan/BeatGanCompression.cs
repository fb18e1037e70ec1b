using System.Diagnostics;
using Distill.Models.BeatGan;
using Distill.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Experiments.BeatGan;

/// <summary>Size and cost of a BeatGAN network: parameters, multiply-adds per beat, CPU latency per beat.</summary>
/// <param name="Parameters">Trainable parameters (weights and batch-norm affine parameters).</param>
/// <param name="MultiplyAdds">Multiply-accumulates of the convolutions for one beat (<see cref="BeatGanCompression.GeneratorMultiplyAdds"/>).</param>
/// <param name="MillisecondsPerBeat">Measured wall time of one forward pass per beat, eval mode, no gradient.</param>
public sealed record BeatGanCost(long Parameters, long MultiplyAdds, double MillisecondsPerBeat);

/// <summary>Counts what distillation saves: a BeatGAN generator's parameters, convolution multiply-adds and latency.</summary>
/// <remarks>
/// Only the generator scores beats at test time (Zhou et al., IJCAI 2019, Section 3: A(x) = ||x − G(x)||²), so it is
/// what the compression figures compare. Multiply-adds are counted analytically from the layer shapes: a Conv1d with
/// C_in → C_out channels, kernel K and output length L_out costs C_in·C_out·K·L_out; a ConvTranspose1d costs
/// C_in·C_out·K·L_in (every input sample scatters a K-tap kernel to every output channel). Batch norm, activations and
/// Tanh (O(C·L) each) are left out, as is customary.
/// </remarks>
public static class BeatGanCompression
{
    /// <summary>Convolution multiply-adds of one generator pass (encoder then decoder) for one beat.</summary>
    public static long GeneratorMultiplyAdds(BeatGanOptions options)
    {
        var o = (options ?? throw new ArgumentNullException(nameof(options))).Validated();
        long w = o.GeneratorWidth, length = o.SignalLength, bottleneck = o.BottleneckLength;
        long macs = 0;
        long input = o.Channels;
        for (int k = 0; k < BeatGanOptions.DownsamplingBlocks; k++)
        {
            long output = w << k;
            macs += input * output * 4 * (length >> (k + 1));       // Conv1d(kernel 4, stride 2): L halves
            input = output;
        }
        macs += input * o.LatentSize * bottleneck;                   // last conv: kernel L/32 -> length 1
        macs += (long)o.LatentSize * (w << 4) * bottleneck;          // ConvTranspose1d from length 1, kernel L/32
        for (int k = BeatGanOptions.DownsamplingBlocks - 1; k >= 0; k--)
        {
            long cin = w << k, cout = k == 0 ? o.Channels : w << (k - 1);
            macs += cin * cout * 4 * (length >> (k + 1));            // ConvTranspose1d(kernel 4, stride 2) from length L/2^(k+1)
        }
        return macs;
    }

    /// <summary>Number of trainable parameters of a module.</summary>
    public static long Parameters(nn.Module module) =>
        (module ?? throw new ArgumentNullException(nameof(module))).parameters().Sum(p => p.numel());

    /// <summary>Measures a generator's cost: parameters, multiply-adds and the median CPU wall time per beat over
    /// <paramref name="repeats"/> passes of a batch of <paramref name="batch"/> beats (after 3 warm-up passes).</summary>
    public static BeatGanCost Measure(BeatGanGenerator generator, int batch = 64, int repeats = 20)
    {
        ArgumentNullException.ThrowIfNull(generator);
        if (batch <= 0 || repeats <= 0) throw new ArgumentOutOfRangeException(nameof(batch), "Batch and repeats must be positive.");
        using var scope = NewDisposeScope();
        var o = generator.Options;
        var beats = rand(batch, o.Channels, o.SignalLength, device: DistillDevice.Of(generator)) * 2 - 1; // [B, nc, L]
        bool wasTraining = generator.training;
        generator.eval();
        var times = new double[repeats];
        try
        {
            using var _ = no_grad();
            for (int i = 0; i < 3; i++) generator.call(beats).Dispose();
            for (int i = 0; i < repeats; i++)
            {
                var clock = Stopwatch.StartNew();
                generator.call(beats).Dispose();
                times[i] = clock.Elapsed.TotalMilliseconds / batch;
            }
        }
        finally
        {
            generator.train(wasTraining);
        }
        Array.Sort(times);
        return new BeatGanCost(Parameters(generator), GeneratorMultiplyAdds(o), times[repeats / 2]);
    }
}
