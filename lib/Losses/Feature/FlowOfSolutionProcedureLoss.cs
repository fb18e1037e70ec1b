using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.Feature;

/// <summary>Flow of solution procedure (FSP): match the Gram matrices between consecutive layers of each network.</summary>
/// <remarks>
/// Yim, Joo, Bae and Kim, "A Gift from Knowledge Distillation: Fast Optimization, Network Minimization and Transfer
/// Learning", CVPR 2017. Eq. 1: G_ij = Σ_l F1_{l,i} F2_{l,j} / L between two features of the same network with the
/// same length L (h × w in the paper; L = 1 for [B, C] features). Eq. 2: the loss is
/// (1/N) Σ_x Σ_i λ_i ‖G_i^T(x) − G_i^S(x)‖²_F with all λ_i = 1, i.e. the squared Frobenius norm summed over the
/// matrices and averaged over the batch. RepDistiller's <c>FSP</c> instead averages over the matrix entries as well
/// (it divides this loss by C1·C2 per matrix) and average-pools features of different sizes; here the paper's sum is kept
/// and unequal lengths within a network are an error, since the paper pairs layers of equal resolution.
/// Each student matrix must have the teacher's shape (C1 × C2), as in both the paper and the reference.
/// </remarks>
public sealed class FlowOfSolutionProcedureLoss : DistillationLoss, ITeacherPassReader
{
    /// <summary>Creates the loss over consecutive layer pairs: matrix i is G(layers[i], layers[i + 1]) in each network.</summary>
    /// <param name="layers">At least two pairs; student matrices use the <c>Student</c> indices, teacher matrices the <c>Teacher</c> ones.</param>
    public FlowOfSolutionProcedureLoss(IReadOnlyList<LayerPair> layers) : base(nameof(FlowOfSolutionProcedureLoss))
    {
        if (layers.Count < 2)
            throw new ArgumentException(
                $"fsp: an FSP matrix needs two layers but {layers.Count} layer pair(s) were given. Pass at least two pairs, e.g. [new(0, 0), new(1, 1)].",
                nameof(layers));
        Layers = layers.ToArray();
    }

    /// <inheritdoc />
    public override string Name => "fsp";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.FeaturesOf(Layers);

    /// <summary>The layer pairs; consecutive entries form one FSP matrix per network.</summary>
    public IReadOnlyList<LayerPair> Layers { get; }

    /// <inheritdoc />
    public override Tensor Compute(DistillationContext context)
    {
        using var scope = NewDisposeScope();
        Tensor? total = null;
        for (int i = 0; i + 1 < Layers.Count; i++)
        {
            var (first, second) = (Layers[i], Layers[i + 1]);
            var student = Sequences(first.SelectStudent(context.Student.Features), second.SelectStudent(context.Student.Features),
                $"student layers {first.Student} and {second.Student}");
            var teacher = Sequences(first.SelectTeacher(context.Teacher.Features).detach(), second.SelectTeacher(context.Teacher.Features).detach(),
                $"teacher layers {first.Teacher} and {second.Teacher}");
            FeatureLossGuard.CheckBatch(Name, $"student layers {first.Student} and {second.Student}, teacher layers {first.Teacher} and {second.Teacher}",
                first.SelectStudent(context.Student.Features), first.SelectTeacher(context.Teacher.Features));
            long[] studentShape = [student.First.shape[0], student.First.shape[1], student.Second.shape[1]];
            long[] teacherShape = [teacher.First.shape[0], teacher.First.shape[1], teacher.Second.shape[1]];
            if (!studentShape.SequenceEqual(teacherShape))
                throw new ArgumentException(
                    $"fsp: the student's FSP matrix between layers {first.Student} and {second.Student} is [{string.Join(", ", studentShape)}] " +
                    $"but the teacher's between layers {first.Teacher} and {second.Teacher} is [{string.Join(", ", teacherShape)}]. " +
                    "FSP needs equal channel counts in paired layers: pair layers of equal width or use a loss with a regressor (FitNet, VID).");
            var term = SquaredDistances(student, teacher).mean();
            total = total is null ? term : total + term;
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <summary>The FSP matrix of Eq. 1 between two features of one network, [B, C1, C2].</summary>
    /// <param name="first">The earlier feature, [B, C1] or [B, C1, L].</param>
    /// <param name="second">The later feature, [B, C2] or [B, C2, L] with the same L.</param>
    /// <param name="what">Which layers these are, named in error messages.</param>
    public static Tensor FspMatrix(Tensor first, Tensor second, string what)
    {
        var (a, b) = Sequences(first, second, what);
        return Matrix(a, b);
    }

    private static Tensor Matrix(Tensor a, Tensor b) => matmul(a, b.transpose(1, 2)) / a.shape[2];

    // ‖G_S − G_T‖²_F per example [B] (Eq. 2 before the batch mean), for features [B, C1, L] and [B, C2, L] of each network.
    // With G = A Bᵀ / L, ‖G_S − G_T‖² = (⟨G_S, G_S⟩ − 2⟨G_S, G_T⟩ + ⟨G_T, G_T⟩) and ⟨A Bᵀ, C Dᵀ⟩_F = Σ_lm (AᵀC)_lm (BᵀD)_lm, which
    // needs L × L products of positions instead of the C1 × C2 matrices: on dense layers (L = 1) two dot products per example
    // instead of a [B, 1024, 256] matrix per network and step. The three inner products are summed in float64, since they
    // nearly cancel once the student follows the teacher; where C1·C2 ≤ L² the matrices themselves are cheaper and compared.
    private static Tensor SquaredDistances((Tensor First, Tensor Second) student, (Tensor First, Tensor Second) teacher)
    {
        var ((a, b), (c, d)) = (student, teacher);
        long length = a.shape[2];
        if (a.shape[1] * b.shape[1] <= length * length) return (Matrix(a, b) - Matrix(c, d)).pow(2).sum([1, 2]);
        static Tensor Inner(Tensor a, Tensor b, Tensor c, Tensor d) =>
            (matmul(a.transpose(1, 2), c) * matmul(b.transpose(1, 2), d)).sum([1, 2]); // ⟨A Bᵀ, C Dᵀ⟩_F per example
        var (a64, b64, c64, d64) = (a.to(float64), b.to(float64), c.to(float64), d.to(float64));
        var squared = Inner(a64, b64, a64, b64) - 2 * Inner(a64, b64, c64, d64) + Inner(c64, d64, c64, d64);
        return (squared.clamp_min(0) / (length * length)).to(a.dtype);
    }

    // Both features of one network as sequences [B, C1, L] and [B, C2, L] of one batch and one length.
    private static (Tensor First, Tensor Second) Sequences(Tensor first, Tensor second, string what)
    {
        var a = AsSequence(first, what);          // [B, C1, L]
        var b = AsSequence(second, what);         // [B, C2, L]
        if (a.shape[0] != b.shape[0])
            throw new ArgumentException($"fsp: {what} have different batch sizes ({a.shape[0]} vs {b.shape[0]}). Take both features from one forward pass.");
        if (a.shape[2] != b.shape[2])
            throw new ArgumentException(
                $"fsp: {what} have different lengths ({a.shape[2]} vs {b.shape[2]}); an FSP matrix pairs features position by position. " +
                "Pair layers of equal length (the paper pairs layers within one resolution stage).");
        return (a, b);
    }

    private static Tensor AsSequence(Tensor feature, string what)
    {
        FeatureLossGuard.CheckRank("fsp", $"a feature of {what}", feature);
        FeatureLossGuard.CheckFinite("fsp", $"a feature of {what}", feature);
        return FeatureLossGuard.AsSequence(feature);
    }
}
