using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Losses.Feature;

/// <summary>A linear map over the channel axis of a [B, C] or [B, C, L] feature: a 1 × 1 convolution for sequences.</summary>
internal static class PointwiseLinear
{
    /// <summary>Applies <paramref name="linear"/> to [B, C] directly and to every position of [B, C, L].</summary>
    /// <param name="linear">The map from C input to C' output channels.</param>
    /// <param name="feature">[B, C] or [B, C, L].</param>
    /// <returns>[B, C'] or [B, C', L].</returns>
    public static Tensor Apply(Linear linear, Tensor feature)
        // A kernel-1 Conv1d is the same linear map at every position: move channels last, map, move them back.
        => feature.dim() == 2 ? linear.forward(feature) : linear.forward(feature.transpose(1, 2)).transpose(1, 2);
}
