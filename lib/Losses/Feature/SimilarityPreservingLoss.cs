using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.Feature;

/// <summary>Similarity-preserving KD: the student's batch similarity matrix is matched to the teacher's.</summary>
/// <remarks>
/// Tung and Mori, "Similarity-Preserving Knowledge Distillation", ICCV 2019. Eq. 3: each feature is flattened to
/// <c>Q</c> [B, C * L], <c>G = Q Q^T</c> [B, B] and every row of G is divided by its L2 norm. Eq. 4:
/// <c>L_SP = 1/B^2 sum_pairs ||G_T - G_S||_F^2</c>, summed over the layer pairs. Only similarities between samples
/// are compared, so widths and lengths of student and teacher may differ, and the loss is unchanged when either
/// feature is scaled by a positive constant. The paper and RepDistiller weight it by gamma = 3000.
/// </remarks>
public sealed class SimilarityPreservingLoss : DistillationLoss, ITeacherPassReader
{
    private const string Display = "SimilarityPreservingLoss (sp)";
    private readonly IReadOnlyList<LayerPair> _pairs;

    /// <summary>Builds the loss over one or more layer pairs (their terms are summed, Eq. 4).</summary>
    /// <param name="pairs">Student/teacher layers whose similarity matrices are matched.</param>
    public SimilarityPreservingLoss(IReadOnlyList<LayerPair> pairs) : base(nameof(SimilarityPreservingLoss))
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
            throw new ArgumentException($"{Display}: give at least one LayerPair (for example LayerPair.Last).", nameof(pairs));
        _pairs = pairs.ToArray();
    }

    /// <inheritdoc />
    public override string Name => "sp";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.FeaturesOf(_pairs);

    /// <summary>Sum over the layer pairs of the squared Frobenius distance between normalised similarity matrices, over B^2.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        using var scope = NewDisposeScope();
        Tensor? total = null;
        foreach (LayerPair pair in _pairs)
        {
            Tensor student = pair.SelectStudent(context.Student.Features);
            Tensor teacher = pair.SelectTeacher(context.Teacher.Features).detach();
            FeatureLossGuard.Check(Display, pair, student, teacher, sameRank: false);
            long batch = student.shape[0];
            Tensor difference = SimilarityMatrix(teacher) - SimilarityMatrix(student);   // [B, B]
            Tensor term = difference.pow(2).sum() / (batch * batch);
            total = total is null ? term : total + term;
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <summary>The row-normalised similarity matrix G = normalize(Q Q^T) of a [B, C] or [B, C, L] feature (Eq. 3): [B, B].</summary>
    public static Tensor SimilarityMatrix(Tensor feature)
    {
        Tensor q = FeatureLossGuard.Flatten(feature);                    // [B, C * L]
        return nn.functional.normalize(q.matmul(q.t()), p: 2, dim: 1);
    }
}
