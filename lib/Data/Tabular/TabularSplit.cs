using static TorchSharp.torch;

namespace Distill.Data.Tabular;

/// <summary>One split as tensors on one device: the teacher's view, the student's view, labels, row indices.</summary>
/// <param name="TeacherInput">[N, teacher columns], standardised.</param>
/// <param name="StudentInput">[N, student columns], standardised.</param>
/// <param name="Targets">[N] int64 class labels.</param>
/// <param name="Indices">[N] int64 row indices within this split (0..N-1): what CRD's memory bank and the teacher-pass cache
/// (<c>Distiller.CacheTeacher</c>) are indexed by.</param>
public sealed record TabularSplit(Tensor TeacherInput, Tensor StudentInput, Tensor Targets, Tensor Indices)
{
    /// <summary>Number of rows.</summary>
    public long Count => Targets.shape[0];

    /// <summary>The rows at the given positions (a mini-batch); positions on another device are read on the split's.</summary>
    public TabularSplit Rows(Tensor positions)
    {
        var on = positions.to(Targets.device);
        return new(TeacherInput.index_select(0, on), StudentInput.index_select(0, on), Targets.index_select(0, on), Indices.index_select(0, on));
    }

    /// <summary>The labels as a managed array (for metrics).</summary>
    public int[] Labels() => Targets.cpu().data<long>().Select(l => (int)l).ToArray();
}
