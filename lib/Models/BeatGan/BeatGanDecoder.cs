using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Distill.Models.BeatGan;

/// <summary>BeatGAN's decoder: the encoder mirrored with ConvTranspose1d, batch norm and ReLU, ending in Tanh.</summary>
/// <remarks>
/// Zhou et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019,
/// Section 3 (the generator's decoder G_D). Lengths for 320 samples: 1 → 10 → 20 → 40 → 80 → 160 → 320; Tanh
/// matches beats min-max scaled to [-1, 1]. Layers live in one list named <c>main</c> with the authors' Sequential
/// indices (ConvTranspose/BN/ReLU at 0-2, 3-5, 6-8, 9-11, 12-14, last ConvTranspose 15, Tanh 16).
/// </remarks>
public sealed class BeatGanDecoder : Module<Tensor, Tensor>, IFeatureModel
{
    private readonly ModuleList<Module<Tensor, Tensor>> main;
    private readonly BeatGanBlock[] blocks;
    private readonly long latentSize;

    /// <summary>Builds a decoder from codes [B, nz, 1] to beats [B, nc, SignalLength] with ngf channels in its last block.</summary>
    public BeatGanDecoder(BeatGanOptions options) : base(nameof(BeatGanDecoder))
    {
        options.Validated();
        latentSize = options.LatentSize;
        blocks = BeatGanBlock.Decoder(options.LatentSize, options.GeneratorWidth, options.BottleneckLength);
        var head = ConvTranspose1d(options.GeneratorWidth, options.Channels, 4, stride: 2, padding: 1, bias: false);
        main = ModuleList(blocks.SelectMany(b => b.Layers()).Append(head).Append(Tanh()).ToArray());
        RegisterComponents();
        BeatGanInitialisation.Apply(this);
    }

    // The last layers are held only by main, so they keep the Sequential names main.15 and main.16.
    private Module<Tensor, Tensor> Head => main[main.Count - 2];
    private Module<Tensor, Tensor> OutputActivation => main[main.Count - 1];

    /// <summary>Decodes codes [B, nz, 1] into beats [B, nc, L] in [-1, 1].</summary>
    public override Tensor forward(Tensor code)
    {
        CheckCode(code);
        return OutputActivation.call(Head.call(BeatGanBlock.ForwardAll(blocks, code, null, null)));
    }

    /// <summary>
    /// One pass: the beats as output, and the five blocks' features after ReLU and before it (after batch norm).
    /// Shapes for width w: [B, 16w, L/32], [B, 8w, L/16], [B, 4w, L/8], [B, 2w, L/4], [B, w, L/2]. The last
    /// transposed convolution feeds Tanh directly and is the output, so it is not repeated as a feature.
    /// </summary>
    public FeatureOutput ForwardFeatures(Tensor code)
    {
        CheckCode(code);
        var features = new List<Tensor>(blocks.Length);
        var preActivations = new List<Tensor>(blocks.Length);
        var beats = OutputActivation.call(Head.call(BeatGanBlock.ForwardAll(blocks, code, preActivations, features))); // [B, nc, L]
        return new FeatureOutput(beats, features, preActivations);
    }

    private void CheckCode(Tensor code)
    {
        if (code.dim() != 3 || code.shape[1] != latentSize || code.shape[2] != 1)
            throw new ArgumentException(
                $"{nameof(BeatGanDecoder)} expects latent codes shaped [batch, {latentSize}, 1] but got [{string.Join(", ", code.shape)}]; " +
                "pass the encoder's output (BeatGanOptions.LatentSize must match).", nameof(code));
    }
}
