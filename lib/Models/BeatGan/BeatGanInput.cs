using static TorchSharp.torch;

namespace Distill.Models.BeatGan;

/// <summary>Shape checks shared by the BeatGAN networks.</summary>
internal static class BeatGanInput
{
    /// <summary>Throws unless <paramref name="x"/> is a floating batch [B, channels, length].</summary>
    public static void Check(Tensor x, long channels, long length, string network)
    {
        if (x.dim() != 3 || x.shape[1] != channels || x.shape[2] != length)
            throw new ArgumentException(
                $"{network} expects beats shaped [batch, {channels}, {length}] but got [{string.Join(", ", x.shape)}]. " +
                "Stack beats as [N, leads, samples] and check BeatGanOptions.Channels and SignalLength.", nameof(x));
        if (!x.is_floating_point())
            throw new ArgumentException($"{network} expects floating-point beats but got {x.dtype}; convert with .to_type(float32).", nameof(x));
    }
}
