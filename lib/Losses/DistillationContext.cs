using Distill.Models;
using static TorchSharp.torch;

namespace Distill.Losses;

/// <summary>What a distillation loss sees for one batch.</summary>
/// <param name="Student">The student's forward pass (carries gradient).</param>
/// <param name="Teacher">The frozen teacher's forward pass (no gradient).</param>
/// <param name="Targets">Ground-truth labels of the batch.</param>
/// <param name="Indices">Dataset row indices of the batch, needed by losses with a memory bank (CRD).</param>
public sealed record DistillationContext(FeatureOutput Student, FeatureOutput Teacher, Tensor Targets, Tensor? Indices = null);

/// <summary>A distillation term: one named loss computed from a student/teacher pair.</summary>
/// <remarks>Losses with trainable parts (regressors, embeddings) are also TorchSharp modules; the
/// <c>Distiller</c> hands their parameters to the optimizer.</remarks>
public interface IDistillationLoss
{
    /// <summary>Short name used in logs, histories and charts (for example <c>"kd"</c>, <c>"at"</c>).</summary>
    string Name { get; }

    /// <summary>Computes the (unweighted) loss; a scalar tensor whose gradient reaches the student.</summary>
    Tensor Compute(DistillationContext context);
}
