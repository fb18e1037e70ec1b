using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Distill.Models.BeatGan;

/// <summary>One BeatGAN block: a (transposed) convolution, an optional batch norm and an activation.</summary>
/// <remarks>
/// The block only groups layers that a parent module owns and registers (in a list named <c>main</c> or
/// <c>features</c>, mirroring the PyTorch Sequential indices); it is not a module itself, so it adds no level to
/// parameter names. Activations are never in-place, so the recorded pre-activation survives.
/// </remarks>
internal sealed record BeatGanBlock(Module<Tensor, Tensor> Convolution, Module<Tensor, Tensor>? Normalisation, Module<Tensor, Tensor> Activation)
{
    /// <summary>The block's layers in call order, as the PyTorch Sequential lists them.</summary>
    public IEnumerable<Module<Tensor, Tensor>> Layers()
    {
        yield return Convolution;
        if (Normalisation is not null) yield return Normalisation;
        yield return Activation;
    }

    /// <summary>Runs the block once; appends its pre-activation and feature when the lists are given.</summary>
    public Tensor Forward(Tensor x, List<Tensor>? preActivations, List<Tensor>? features)
    {
        var z = Convolution.call(x);
        if (Normalisation is not null) z = Normalisation.call(z);
        var a = Activation.call(z);
        preActivations?.Add(z);
        features?.Add(a);
        return a;
    }

    /// <summary>Runs blocks in order, recording every block when the lists are given.</summary>
    public static Tensor ForwardAll(IReadOnlyList<BeatGanBlock> blocks, Tensor x, List<Tensor>? preActivations, List<Tensor>? features)
    {
        foreach (var block in blocks) x = block.Forward(x, preActivations, features);
        return x;
    }

    /// <summary>
    /// The encoder's five blocks: Conv1d(kernel 4, stride 2, padding 1, no bias), batch norm from the second block on,
    /// LeakyReLU(0.2). Channels go <paramref name="channels"/> → w → 2w → 4w → 8w → 16w; the length halves each time.
    /// </summary>
    public static BeatGanBlock[] Encoder(int channels, int width)
    {
        var blocks = new BeatGanBlock[BeatGanOptions.DownsamplingBlocks];
        long input = channels;
        for (int k = 0; k < blocks.Length; k++)
        {
            long output = (long)width << k;
            blocks[k] = new BeatGanBlock(
                Conv1d(input, output, 4, stride: 2, padding: 1, bias: false),
                k == 0 ? null : BatchNorm1d(output),
                LeakyReLU(0.2));
            input = output;
        }
        return blocks;
    }

    /// <summary>
    /// The decoder's five blocks, mirroring the encoder: ConvTranspose1d(nz → 16w, kernel = bottleneck length), then
    /// ConvTranspose1d(kernel 4, stride 2, padding 1) down to w channels, each with batch norm and ReLU.
    /// </summary>
    public static BeatGanBlock[] Decoder(int latentSize, int width, int bottleneckLength)
    {
        var blocks = new BeatGanBlock[BeatGanOptions.DownsamplingBlocks];
        long input = latentSize;
        for (int k = 0; k < blocks.Length; k++)
        {
            long output = (long)width << (blocks.Length - 1 - k);
            var convolution = k == 0
                ? ConvTranspose1d(input, output, bottleneckLength, stride: 1, padding: 0, bias: false)
                : ConvTranspose1d(input, output, 4, stride: 2, padding: 1, bias: false);
            blocks[k] = new BeatGanBlock(convolution, BatchNorm1d(output), ReLU());
            input = output;
        }
        return blocks;
    }
}
