using Distill.Models;
using static TorchSharp.torch;

namespace Distill.Losses;

/// <summary>What a distillation loss sees for one batch.</summary>
/// <param name="Student">The student's forward pass (carries gradient).</param>
/// <param name="Teacher">The frozen teacher's forward pass (no gradient).</param>
/// <param name="Targets">Ground-truth labels of the batch.</param>
/// <param name="Indices">Dataset row indices of the batch, needed by losses with a memory bank (CRD).</param>
public sealed record DistillationContext(FeatureOutput Student, FeatureOutput Teacher, Tensor Targets, Tensor? Indices = null)
{
    /// <summary>Summaries of the teacher's pass read from a cache by key (<see cref="TeacherSummary.Key"/>); null when the
    /// teacher ran live, and then <see cref="TeacherSummary(Losses.TeacherSummary)"/> computes them from <see cref="Teacher"/>.</summary>
    public IReadOnlyDictionary<string, Tensor>? TeacherSummaries { get; init; }

    /// <summary>The batch's value of <paramref name="summary"/>: the cached one when a cache holds it, otherwise computed from
    /// the live teacher pass and the student's feature shapes; the same values either way.</summary>
    public Tensor TeacherSummary(TeacherSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (TeacherSummaries is null) return summary.Of(Teacher, FeatureShapes.Of(Student));
        return TeacherSummaries.TryGetValue(summary.Key, out var cached) ? cached
            : throw new InvalidOperationException(
                $"The teacher-pass cache holds summaries [{string.Join(", ", TeacherSummaries.Keys.Order())}] but a term read '{summary.Key}': " +
                "list it in the term's TeacherParts (ITeacherPassReader).");
    }
}
