using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Distill.Models.BeatGan;

/// <summary>BeatGAN's generator: an encoder to a latent code and a decoder back to the beat (an autoencoder).</summary>
/// <remarks>
/// Zhou et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019,
/// Section 3: x' = G_D(G_E(x)). Named BeatGanGenerator because <c>Generator</c> is taken by torch.Generator.
/// Submodules are named <c>encoder1</c> and <c>decoder</c> as in the authors' model.py, so parameters read
/// <c>encoder1.main.N.weight</c> and <c>decoder.main.N.weight</c> and a PyTorch state_dict loads name for name.
/// Feature order of <see cref="ForwardFeatures"/>: encoder blocks 1-5, the latent code (no activation: its
/// pre-activation is the same tensor), decoder blocks 1-5; eleven in all.
/// </remarks>
public sealed class BeatGanGenerator : Module<Tensor, Tensor>, IFeatureModel
{
    /// <summary>Position of the latent code in <see cref="FeatureOutput.Features"/> and <see cref="FeatureOutput.PreActivations"/>.</summary>
    public const int LatentIndex = BeatGanOptions.DownsamplingBlocks;

    private readonly BeatGanEncoder encoder1;
    private readonly BeatGanDecoder decoder;

    /// <summary>Builds a generator with BeatGAN's initialisation on <paramref name="device"/>.</summary>
    /// <param name="options">Sizes; null for the paper's.</param>
    /// <param name="device">Where its parameters live; null keeps TorchSharp's default, the CPU. The application chooses (<see cref="Distill.Runtime.DistillDevice"/>).</param>
    public BeatGanGenerator(BeatGanOptions? options = null, Device? device = null) : base(nameof(BeatGanGenerator))
    {
        Options = (options ?? new BeatGanOptions()).Validated();
        encoder1 = new BeatGanEncoder(Options, Options.GeneratorWidth, Options.LatentSize);
        decoder = new BeatGanDecoder(Options);
        RegisterComponents();
        if (device is not null) this.to(device);
    }

    /// <summary>The sizes this generator was built with.</summary>
    public BeatGanOptions Options { get; }

    /// <summary>Reconstructs beats [B, nc, L].</summary>
    public override Tensor forward(Tensor beats) => decoder.call(encoder1.call(beats));

    /// <summary>Encodes beats [B, nc, L] to latent codes [B, nz, 1] without decoding.</summary>
    public Tensor Encode(Tensor beats) => encoder1.call(beats);

    /// <summary>One pass returning the reconstruction, the latent code and every block's features.</summary>
    public BeatGanGeneratorOutput Reconstruct(Tensor beats)
    {
        var encoded = encoder1.ForwardFeatures(beats);
        var decoded = decoder.ForwardFeatures(encoded.Output);
        var features = encoded.Features.Append(encoded.Output).Concat(decoded.Features).ToList();
        var preActivations = encoded.PreActivations.Append(encoded.Output).Concat(decoded.PreActivations).ToList();
        return new BeatGanGeneratorOutput(new FeatureOutput(decoded.Output, features, preActivations));
    }

    /// <summary>One pass: the reconstruction and eleven features (encoder blocks, latent code, decoder blocks).</summary>
    public FeatureOutput ForwardFeatures(Tensor input) => Reconstruct(input).Pass;
}
