using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Distill.Models.BeatGan;

/// <summary>BeatGAN's encoder: five strided Conv1d blocks and a last convolution to the latent code.</summary>
/// <remarks>
/// Zhou et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019,
/// Section 3 (the generator's encoder G_E). Lengths for 320 samples: 320 → 160 → 80 → 40 → 20 → 10 → 1.
/// Layers live in one list named <c>main</c> with the authors' Sequential indices (conv 0, LeakyReLU 1, then
/// conv/BN/LeakyReLU at 2-4, 5-7, 8-10, 11-13, last conv 14), so a PyTorch state_dict maps name for name.
/// </remarks>
public sealed class BeatGanEncoder : Module<Tensor, Tensor>, IFeatureModel
{
    private readonly ModuleList<Module<Tensor, Tensor>> main;
    private readonly BeatGanBlock[] blocks;
    private readonly long channels;
    private readonly long length;

    /// <summary>Builds an encoder from the options' leads to <paramref name="outputs"/> channels of length 1.</summary>
    /// <param name="options">Sizes; the encoder reads Channels, SignalLength and <paramref name="width"/>.</param>
    /// <param name="width">Channels of the first block (ngf inside the generator, ndf inside the discriminator).</param>
    /// <param name="outputs">Channels of the code: nz for the generator.</param>
    public BeatGanEncoder(BeatGanOptions options, int width, int outputs) : base(nameof(BeatGanEncoder))
    {
        options.Validated();
        if (width <= 0) throw new ArgumentOutOfRangeException(nameof(width), width, "The encoder width must be positive.");
        if (outputs <= 0) throw new ArgumentOutOfRangeException(nameof(outputs), outputs, "The encoder must output at least one channel.");
        channels = options.Channels;
        length = options.SignalLength;
        blocks = BeatGanBlock.Encoder(options.Channels, width);
        var head = Conv1d((long)width << (blocks.Length - 1), outputs, options.BottleneckLength, bias: false);
        main = ModuleList(blocks.SelectMany(b => b.Layers()).Append(head).ToArray());
        RegisterComponents();
        BeatGanInitialisation.Apply(this);
    }

    // The last convolution is held only by main, so it is named main.14 and nothing else.
    private Module<Tensor, Tensor> Head => main[main.Count - 1];

    /// <summary>Encodes beats [B, C, L] into codes [B, outputs, 1].</summary>
    public override Tensor forward(Tensor input)
    {
        BeatGanInput.Check(input, channels, length, nameof(BeatGanEncoder));
        return Head.call(BeatGanBlock.ForwardAll(blocks, input, null, null));
    }

    /// <summary>
    /// One pass: the code as output, and the five blocks' features after LeakyReLU and before it (after batch norm;
    /// after the convolution for the first block, which has none). Shapes for width w: [B, w·2^k, L / 2^(k+1)].
    /// </summary>
    public FeatureOutput ForwardFeatures(Tensor input)
    {
        BeatGanInput.Check(input, channels, length, nameof(BeatGanEncoder));
        var features = new List<Tensor>(blocks.Length);
        var preActivations = new List<Tensor>(blocks.Length);
        var code = Head.call(BeatGanBlock.ForwardAll(blocks, input, preActivations, features)); // [B, outputs, 1]
        return new FeatureOutput(code, features, preActivations);
    }
}
