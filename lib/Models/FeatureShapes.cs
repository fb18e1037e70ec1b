using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Models;

/// <summary>The shapes of a feature model's output and features, probed with one forward pass, so that the widths a loss
/// needs (a FitNet regressor's, CRD's embeddings') are read from the network instead of typed by hand.</summary>
/// <param name="Output">Shape of the output, batch first.</param>
/// <param name="Features">Shape of each feature, batch first, in the order of <see cref="FeatureOutput.Features"/>.</param>
/// <param name="PreActivations">Shape of each pre-activation, in the order of <see cref="FeatureOutput.PreActivations"/>.</param>
public sealed record FeatureShapes(long[] Output, IReadOnlyList<long[]> Features, IReadOnlyList<long[]> PreActivations)
{
    /// <summary>Runs <paramref name="model"/> once on <paramref name="sample"/> in eval mode without gradient (BatchNorm
    /// statistics untouched, any batch size) and records the shapes; the model's training mode is restored.</summary>
    /// <param name="model">A library model or a <see cref="HookedFeatureModel"/>.</param>
    /// <param name="sample">A batch as the model reads it, <c>[B, ...]</c>; a few rows are enough.</param>
    public static FeatureShapes Of<TModel>(TModel model, Tensor sample) where TModel : nn.Module<Tensor, Tensor>, IFeatureModel
        => Of(model, model, sample);

    /// <summary>As <see cref="Of{TModel}(TModel, Tensor)"/>, for a model held as its module and its feature view (a
    /// distiller's student).</summary>
    public static FeatureShapes Of(nn.Module module, IFeatureModel features, Tensor sample)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(sample);
        bool training = module.training;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        module.eval();
        try
        {
            return Of(features.ForwardFeatures(sample));
        }
        finally
        {
            module.train(training);
        }
    }

    /// <summary>The shapes of a pass already computed (a trainer's student pass), without running anything.</summary>
    public static FeatureShapes Of(FeatureOutput pass)
    {
        ArgumentNullException.ThrowIfNull(pass);
        return new FeatureShapes(pass.Output.shape, pass.Features.Select(f => f.shape).ToArray(), pass.PreActivations.Select(f => f.shape).ToArray());
    }

    /// <summary>The channel width (dimension 1) of feature <paramref name="index"/>; negative indices count from the end.</summary>
    public int Channels(int index)
    {
        int resolved = index < 0 ? Features.Count + index : index;
        if (resolved < 0 || resolved >= Features.Count)
            throw new ArgumentOutOfRangeException(nameof(index), index,
                $"Feature {index} does not exist: the model has {Features.Count} features (valid: 0..{Features.Count - 1} or -1..-{Features.Count}).");
        var shape = Features[resolved];
        if (shape.Length < 2)
            throw new InvalidOperationException($"Feature {index} has shape [{string.Join(", ", shape)}], which has no channel dimension (expected [B, C, ...]).");
        return (int)shape[1];
    }
}
