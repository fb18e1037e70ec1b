using TorchSharp;

namespace Distill.Losses;

/// <summary>A loss that draws random rows (negatives, positives) from a generator of its own, such as CRD's contrastive
/// sampler.</summary>
/// <remarks>A trainer's checkpoint saves and restores the generator's state, so that a resumed run draws the rows an
/// uninterrupted one would; it finds every such loss among a term's modules without knowing the loss's type.</remarks>
public interface ISamplingLoss
{
    /// <summary>The sampler's own generator, or null when it draws from torch's global generator.</summary>
    torch.Generator? SamplerGenerator { get; }
}
