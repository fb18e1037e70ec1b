using static TorchSharp.torch;

namespace Distill.Models.BeatGan;

/// <summary>A generator pass with named views on it: reconstruction, latent code, encoder and decoder features.</summary>
/// <param name="Pass">The pass itself; its features are the five encoder blocks, the latent code, then the five
/// decoder blocks (<see cref="BeatGanGenerator.LatentIndex"/> marks the code).</param>
public sealed record BeatGanGeneratorOutput(FeatureOutput Pass)
{
    /// <summary>The reconstructed beats x' = G_D(G_E(x)), [B, nc, L].</summary>
    public Tensor Reconstruction => Pass.Output;

    /// <summary>The latent code z = G_E(x), [B, nz, 1].</summary>
    public Tensor Latent => Pass.Features[BeatGanGenerator.LatentIndex];

    /// <summary>The encoder blocks' features after LeakyReLU, shallow to deep.</summary>
    public IReadOnlyList<Tensor> EncoderFeatures => Pass.Features.Take(BeatGanGenerator.LatentIndex).ToList();

    /// <summary>The decoder blocks' features after ReLU, deep to shallow (the order they are computed).</summary>
    public IReadOnlyList<Tensor> DecoderFeatures => Pass.Features.Skip(BeatGanGenerator.LatentIndex + 1).ToList();
}
