using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.Feature;

/// <summary>Options of <see cref="RelationalKnowledgeDistillationLoss"/>.</summary>
/// <param name="DistanceWeight">Weight of the distance-wise term (lambda_D); 25 as the paper and RepDistiller.</param>
/// <param name="AngleWeight">Weight of the angle-wise term (lambda_A); 50 as the paper and RepDistiller.</param>
public sealed record RelationalKnowledgeDistillationOptions(double DistanceWeight = 25.0, double AngleWeight = 50.0);

/// <summary>Relational KD: the student's pairwise distances and triplet angles are matched to the teacher's.</summary>
/// <remarks>
/// Park, Kim, Lu and Cho, "Relational Knowledge Distillation", CVPR 2019, Sec. 3.2. Features are flattened to
/// [B, C * L]. Distance-wise loss <c>L_RKD-D</c>: the potential <c>psi_D(t_i, t_j) = ||t_i - t_j||_2 / mu</c> is
/// compared by the Huber loss (smooth L1, delta 1), averaged over all B^2 entries. The paper's <c>mu</c> averages
/// over all pairs of the batch; RepDistiller (followed here) averages over the positive distances, i.e. leaves out
/// the zero diagonal. Angle-wise loss <c>L_RKD-A</c>: <c>psi_A(t_i, t_j, t_k) = &lt;e_ij, e_kj&gt;</c>, the cosine of
/// the angle at <c>t_j</c> with unit difference vectors, compared by the Huber loss averaged over all B^3 triplets.
/// Loss = <c>lambda_D L_RKD-D + lambda_A L_RKD-A</c> with 25 and 50. As in RepDistiller, distances use the expansion
/// <c>|a|^2 + |b|^2 - 2 a.b</c> clamped at 1e-12 before the square root. The normalisation by <c>mu</c> makes the
/// distance term, and the angles by construction, invariant to scaling a feature by a positive constant; widths of
/// student and teacher may differ.
/// </remarks>
public sealed class RelationalKnowledgeDistillationLoss : DistillationLoss, ITeacherPassReader
{
    private const string Display = "RelationalKnowledgeDistillationLoss (rkd)";
    private const double DistanceFloor = 1e-12;
    private readonly LayerPair _pair;
    private readonly RelationalKnowledgeDistillationOptions _options;

    /// <summary>Builds the loss for one layer pair (the paper distils the final embedding: <see cref="LayerPair.Last"/>).</summary>
    /// <param name="pair">Student and teacher layers.</param>
    /// <param name="options">Term weights; defaults 25 and 50.</param>
    public RelationalKnowledgeDistillationLoss(LayerPair pair, RelationalKnowledgeDistillationOptions? options = null) : base(nameof(RelationalKnowledgeDistillationLoss))
    {
        _pair = pair;
        _options = options ?? new RelationalKnowledgeDistillationOptions();
        if (_options.DistanceWeight < 0 || _options.AngleWeight < 0 || !double.IsFinite(_options.DistanceWeight) || !double.IsFinite(_options.AngleWeight))
            throw new ArgumentOutOfRangeException(nameof(options), _options, $"{Display}: the term weights must be finite and non-negative (paper: 25 and 50).");
    }

    /// <inheritdoc />
    public override string Name => "rkd";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.FeaturesOf([_pair]);

    /// <summary><c>lambda_D L_D + lambda_A L_A</c> on the flattened student and teacher features.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        using var scope = NewDisposeScope();
        Tensor student = _pair.SelectStudent(context.Student.Features);
        Tensor teacher = _pair.SelectTeacher(context.Teacher.Features).detach();
        FeatureLossGuard.Check(Display, _pair, student, teacher, sameRank: false);
        if (student.shape[0] < 2)
            throw new ArgumentException($"{Display}: relations need at least 2 samples in the batch, got {student.shape[0]}; use a larger batch.");
        Tensor s = FeatureLossGuard.Flatten(student);                     // [B, Ds]
        Tensor t = FeatureLossGuard.Flatten(teacher);                     // [B, Dt]

        Tensor distance = nn.functional.smooth_l1_loss(NormalisedDistances(s), NormalisedDistances(t));
        Tensor angle = nn.functional.smooth_l1_loss(Angles(s), Angles(t));
        return (_options.DistanceWeight * distance + _options.AngleWeight * angle).MoveToOuterDisposeScope();
    }

    /// <summary>Pairwise Euclidean distances divided by their mean over distinct pairs (<c>psi_D</c>): [B, B], zero diagonal.</summary>
    public static Tensor NormalisedDistances(Tensor embedding)
    {
        Tensor squared = embedding.pow(2).sum(1);                                              // [B]
        Tensor gram = embedding.matmul(embedding.t());                                         // [B, B]
        Tensor distances = (squared.unsqueeze(1) + squared.unsqueeze(0) - 2 * gram).clamp_min(DistanceFloor).sqrt();
        // The clamp keeps sqrt differentiable; the diagonal (a sample with itself) is then set to exactly 0.
        Tensor self = eye(embedding.shape[0], dtype: ScalarType.Bool, device: embedding.device);
        distances = distances.masked_fill(self, 0.0);
        Tensor mean = distances.masked_select(distances > 0).mean();
        return distances / mean;
    }

    /// <summary>Cosines of all triplet angles (<c>psi_A</c>): entry (j, i, k) is &lt;e_ji, e_jk&gt; with e_ji the unit vector from sample j to i; [B^3].</summary>
    public static Tensor Angles(Tensor embedding)
    {
        Tensor differences = embedding.unsqueeze(0) - embedding.unsqueeze(1);                 // [B, B, D]
        Tensor units = nn.functional.normalize(differences, p: 2, dim: 2);
        return bmm(units, units.transpose(1, 2)).reshape(-1);                                   // [B * B * B]
    }
}
