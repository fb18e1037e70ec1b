using Distill.Models;
using static TorchSharp.torch;

namespace Distill.Losses;

/// <summary>Lets a loss written for class logits distil a binary model with one logit <c>z</c>, by reading it as the
/// two class logits <c>[0, z]</c> (<see cref="BinaryLogit.TwoClassLogits"/>).</summary>
/// <remarks>A softmax over <c>[0, z]</c> is <c>[1 − σ(z), σ(z)]</c>, exactly the Bernoulli distribution the single logit
/// defines (Hinton et al. 2015, Eq. 1, with two classes), and class 1 is the positive label, so multi-class losses such as
/// DKD, whose target-class mask is indexed by the label, keep their meaning. Only the outputs are rewritten; features pass
/// through. The wrapped loss is a registered submodule, so its parameters, if any, train and are saved with this one.</remarks>
public sealed class BinaryAsTwoClassLoss : DistillationLoss
{
    private readonly DistillationLoss inner;

    /// <summary>Wraps <paramref name="inner"/>, the multi-class loss to apply.</summary>
    public BinaryAsTwoClassLoss(DistillationLoss inner) : base(nameof(BinaryAsTwoClassLoss))
    {
        this.inner = inner ?? throw new ArgumentNullException(nameof(inner));
        RegisterComponents();
    }

    /// <inheritdoc />
    public override string Name => inner.Name;

    /// <summary>The wrapped multi-class loss.</summary>
    public DistillationLoss Inner => inner;

    /// <inheritdoc />
    public override Tensor Compute(DistillationContext context)
        => inner.Compute(context with { Student = AsTwoClass(context.Student, "student"), Teacher = AsTwoClass(context.Teacher, "teacher") });

    private static FeatureOutput AsTwoClass(FeatureOutput output, string side)
    {
        BinaryLogit.Check(output.Output, side, nameof(BinaryAsTwoClassLoss));
        return output with { Output = BinaryLogit.TwoClassLogits(output.Output) }; // [B, 2]
    }
}
