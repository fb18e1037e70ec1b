using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.Feature;

/// <summary>Probabilistic knowledge transfer: the student's conditional probability distribution over batch neighbours is matched to the teacher's.</summary>
/// <remarks>
/// Passalis and Tefas, "Learning Deep Representations with Probabilistic Knowledge Transfer", ECCV 2018. Features
/// are flattened to [B, C * L] and L2-normalised; the cosine-similarity kernel scaled to [0, 1],
/// <c>K(a, b) = (cos(a, b) + 1) / 2</c>, gives the conditional probabilities of the paper's kernel density estimate,
/// <c>p_{j|i} = K(x_i, x_j) / sum_k K(x_i, x_k)</c> (the authors' code keeps the j = i term). The loss is the KL
/// divergence of the student's from the teacher's distribution, <c>p_t log((p_t + eps) / (p_s + eps))</c>, averaged
/// over the B^2 entries as in the authors' code and RepDistiller (the paper sums), with eps = 1e-7, which also guards
/// the norm of an all-zero feature. RepDistiller weights the loss by 30000. Widths of student and teacher may differ.
/// </remarks>
public sealed class ProbabilisticKnowledgeTransferLoss : DistillationLoss, ITeacherPassReader
{
    /// <summary>The small constant of the authors' code, added to norms and probabilities.</summary>
    public const double Epsilon = 1e-7;

    private const string Display = "ProbabilisticKnowledgeTransferLoss (pkt)";
    private readonly LayerPair _pair;

    /// <summary>Builds the loss for one layer pair (usually the penultimate representation, <see cref="LayerPair.Last"/>).</summary>
    /// <param name="pair">Student and teacher layers.</param>
    public ProbabilisticKnowledgeTransferLoss(LayerPair pair) : base(nameof(ProbabilisticKnowledgeTransferLoss)) => _pair = pair;

    /// <inheritdoc />
    public override string Name => "pkt";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.FeaturesOf([_pair]);

    /// <summary>The mean over the B^2 entries of <c>p_t log((p_t + eps) / (p_s + eps))</c>.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        using var scope = NewDisposeScope();
        Tensor student = _pair.SelectStudent(context.Student.Features);
        Tensor teacher = _pair.SelectTeacher(context.Teacher.Features).detach();
        FeatureLossGuard.Check(Display, _pair, student, teacher, sameRank: false);
        Tensor ps = ConditionalProbabilities(student);                  // [B, B]
        Tensor pt = ConditionalProbabilities(teacher);                  // [B, B]
        Tensor divergence = pt * ((pt + Epsilon) / (ps + Epsilon)).log();
        return divergence.mean().MoveToOuterDisposeScope();
    }

    /// <summary>Conditional probabilities p_{j|i} from the cosine kernel scaled to [0, 1] (rows sum to 1): [B, B].</summary>
    public static Tensor ConditionalProbabilities(Tensor feature)
    {
        Tensor x = FeatureLossGuard.Flatten(feature);                                   // [B, D]
        x = x / (x.pow(2).sum(1, keepdim: true).sqrt() + Epsilon);
        Tensor kernel = (x.matmul(x.t()) + 1.0) / 2.0;
        return kernel / kernel.sum(1, keepdim: true);
    }
}
