using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses;

/// <summary>A distillation loss: one named term computed from a student/teacher pair, and a TorchSharp module.</summary>
/// <remarks>Every loss is a module, the stateless ones too (their state is empty), so that a trainer treats all terms alike:
/// it hands their parameters to the optimizer, switches them between training and evaluation, and saves their state in
/// checkpoints. A loss with trainable or buffered parts (a FitNet regressor, CRD's embeddings and memory banks) declares
/// them as fields and calls <c>RegisterComponents()</c>; one that only holds a frozen network it does not own (d-at's
/// teacher discriminator) does not register it, so that network is never trained, switched or saved with the loss.</remarks>
public abstract class DistillationLoss : nn.Module
{
    /// <summary>Names the module <paramref name="moduleName"/> (the loss's class name, as TorchSharp names modules).</summary>
    protected DistillationLoss(string moduleName) : base(moduleName) { }

    /// <summary>Short name used in logs, histories, checkpoints and charts (for example <c>"kd"</c>, <c>"at"</c>).</summary>
    public abstract string Name { get; }

    /// <summary>Computes the (unweighted) loss; a scalar tensor whose gradient reaches the student.</summary>
    public abstract Tensor Compute(DistillationContext context);
}
