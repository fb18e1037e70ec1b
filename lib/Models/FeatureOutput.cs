using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Models;

/// <summary>
/// Everything one forward pass produces: the output and every intermediate feature, after and before
/// its activation, so that distillation losses never recompute the network or need hooks.
/// </summary>
/// <param name="Output">The network output (logits for classifiers, the reconstruction for generators).</param>
/// <param name="Features">Each block's output after its activation, in depth order.</param>
/// <param name="PreActivations">Each block's output before its activation (after normalisation), in depth order;
/// the pre-ReLU position the Overhaul of feature distillation (Heo et al., ICCV 2019) distils.</param>
public sealed record FeatureOutput(Tensor Output, IReadOnlyList<Tensor> Features, IReadOnlyList<Tensor> PreActivations);

/// <summary>A model that returns its output and all its features from one forward pass.</summary>
public interface IFeatureModel
{
    /// <summary>Runs one forward pass and returns the output with every block's features.</summary>
    FeatureOutput ForwardFeatures(Tensor input);
}
