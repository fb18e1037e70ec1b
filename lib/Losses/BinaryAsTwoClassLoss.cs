using Distill.Models;
using static TorchSharp.torch;

namespace Distill.Losses;

/// <summary>Lets a loss written for class logits distil a binary model with one logit <c>z</c>, by reading it as the
/// two class logits <c>[0, z]</c>.</summary>
/// <remarks>A softmax over <c>[0, z]</c> is <c>[1 - σ(z), σ(z)]</c>, exactly the Bernoulli distribution the single logit
/// defines, so multi-class losses such as DKD keep their meaning. Only the outputs are rewritten; features pass through.</remarks>
/// <param name="inner">The multi-class loss to apply.</param>
public sealed class BinaryAsTwoClassLoss(IDistillationLoss inner) : IDistillationLoss
{
    /// <inheritdoc />
    public string Name => inner.Name;

    /// <summary>The wrapped multi-class loss.</summary>
    public IDistillationLoss Inner => inner;

    /// <inheritdoc />
    public Tensor Compute(DistillationContext context)
        => inner.Compute(context with { Student = AsTwoClass(context.Student, "student"), Teacher = AsTwoClass(context.Teacher, "teacher") });

    private static FeatureOutput AsTwoClass(FeatureOutput output, string side)
    {
        var z = output.Output;
        if (z.dim() != 2 || z.shape[1] != 1)
            throw new ArgumentException(
                $"{nameof(BinaryAsTwoClassLoss)} expects the {side}'s output to be one logit per row [B, 1], got [{string.Join(", ", z.shape)}]. " +
                "Use the multi-class loss directly for models with one logit per class.");
        return output with { Output = cat([zeros_like(z), z], 1) }; // [B, 2]
    }
}
