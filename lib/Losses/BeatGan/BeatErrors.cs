using static TorchSharp.torch;

namespace Distill.Losses.BeatGan;

/// <summary>Per-beat reconstruction errors that keep the autograd graph, as the distillation terms need them.</summary>
/// <remarks>The same quantity as <see cref="Anomaly.ReconstructionScores.Errors"/> (BeatGAN's anomaly score before
/// min-max normalisation), but computed on the live tensors so that gradient flows back into the reconstruction.</remarks>
internal static class BeatErrors
{
    /// <summary>Mean over leads and samples of (x − x')², [B], for beats and reconstructions [B, nc, L].</summary>
    public static Tensor Of(Tensor beats, Tensor reconstruction, string loss)
    {
        if (beats.dim() != 3 || !beats.shape.SequenceEqual(reconstruction.shape))
            throw new ArgumentException(
                $"{loss}: the context's Targets must be the input beats [B, nc, L] matching the reconstruction " +
                $"[{string.Join(", ", reconstruction.shape)}], got [{string.Join(", ", beats.shape)}]. Pass the beats as targets.");
        return (beats - reconstruction).square().flatten(1).mean([1L]); // [B]
    }
}
