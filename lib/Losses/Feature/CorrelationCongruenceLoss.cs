using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Distill.Losses.Feature;

/// <summary>Options of <see cref="CorrelationCongruenceLoss"/>, with the paper's defaults.</summary>
/// <param name="EmbeddingDim">Width of the linear embeddings both features are projected to (RepDistiller's feat_dim: 128).</param>
/// <param name="Gamma">γ of the Gaussian RBF kernel exp(−γ‖x − y‖²) (paper: 0.4).</param>
/// <param name="Order">Order P of the Taylor expansion of the kernel (paper: 2).</param>
public sealed record CorrelationCongruenceOptions(int EmbeddingDim = 128, double Gamma = 0.4, int Order = 2);

/// <summary>Correlation congruence (CC): the student's sample-to-sample correlation matrix should equal the teacher's.</summary>
/// <remarks>
/// Peng, Jin, Liu, Zhou, Wu, Liu, Li and Zhang, "Correlation Congruence for Knowledge Distillation", ICCV 2019.
/// Both features are projected by a learned linear embedding and L2-normalised; the correlation between samples i and j
/// is the Gaussian RBF kernel written, for unit vectors, as exp(−2γ) exp(2γ xᵀy) and truncated to its P-order Taylor series,
/// k(x, y) ≈ Σ_{p=0..P} e^{−2γ} (2γ)^p / p! (xᵀy)^p, and the correlation congruence loss is (1/n²)‖ψ(F_t) − ψ(F_s)‖²
/// over the n × n batch matrices (Section 3; equation numbers are not cited because the conference and arXiv versions differ).
/// [B, C, L] features are flattened to [B, C·L] before the embedding.
/// RepDistiller's <c>Correlation</c> computes a different, simpler quantity from the authors' shared code: the mean over
/// consecutive samples i of Σ_d |s_i − t_i|_d · |s_{i+1} − t_{i+1}|_d on the embeddings, with no kernel. This class follows the paper.
/// The teacher feature is detached; both embeddings are trained with the student, as in RepDistiller.
/// </remarks>
public sealed class CorrelationCongruenceLoss : DistillationLoss, ITeacherPassReader
{
    private readonly Linear embedStudent;
    private readonly Linear embedTeacher;

    /// <summary>Creates the loss for one layer pair.</summary>
    /// <param name="pair">Which student feature is compared with which teacher feature (usually the penultimate ones).</param>
    /// <param name="studentDim">Width of the flattened student feature (C, or C·L for [B, C, L]).</param>
    /// <param name="teacherDim">Width of the flattened teacher feature.</param>
    /// <param name="options">Embedding width, γ and P; the paper's defaults when null.</param>
    /// <param name="device">Where its parameters live; null keeps TorchSharp's default, the CPU. Builders pass the student's device.</param>
    public CorrelationCongruenceLoss(LayerPair pair, int studentDim, int teacherDim, CorrelationCongruenceOptions? options = null, Device? device = null)
        : base(nameof(CorrelationCongruenceLoss))
    {
        Options = options ?? new CorrelationCongruenceOptions();
        if (studentDim < 1 || teacherDim < 1 || Options.EmbeddingDim < 1)
            throw new ArgumentOutOfRangeException(nameof(studentDim),
                $"cc: widths must be positive (student {studentDim}, teacher {teacherDim}, embedding {Options.EmbeddingDim}).");
        if (Options.Order < 0 || !(Options.Gamma > 0))
            throw new ArgumentOutOfRangeException(nameof(options), $"cc: need γ > 0 and order P ≥ 0 (got γ = {Options.Gamma}, P = {Options.Order}).");
        Pair = pair;
        StudentDim = studentDim;
        TeacherDim = teacherDim;
        embedStudent = Linear(studentDim, Options.EmbeddingDim);
        embedTeacher = Linear(teacherDim, Options.EmbeddingDim);
        RegisterComponents();
        if (device is not null) this.to(device);
    }

    /// <inheritdoc />
    public override string Name => "cc";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.FeaturesOf([Pair]);

    /// <summary>The distilled layer pair.</summary>
    public LayerPair Pair { get; }

    /// <summary>Width of the flattened student feature.</summary>
    public int StudentDim { get; }

    /// <summary>Width of the flattened teacher feature.</summary>
    public int TeacherDim { get; }

    /// <summary>The options in use.</summary>
    public CorrelationCongruenceOptions Options { get; }

    /// <inheritdoc />
    public override Tensor Compute(DistillationContext context)
        => Distance(Pair.SelectStudent(context.Student.Features), Pair.SelectTeacher(context.Teacher.Features));

    /// <summary>Eq. 6 between the student's and the teacher's correlation matrices.</summary>
    /// <param name="student">Student feature [B, C] or [B, C, L].</param>
    /// <param name="teacher">Teacher feature [B, C] or [B, C, L]; detached.</param>
    public Tensor Distance(Tensor student, Tensor teacher)
    {
        using var scope = NewDisposeScope();
        FeatureLossGuard.Check(Name, Pair, student, teacher, sameRank: false);
        var s = Flatten(student, "student", StudentDim);           // [B, Ds]
        var t = Flatten(teacher.detach(), "teacher", TeacherDim);  // [B, Dt]
        var correlationStudent = Correlation(F.normalize(embedStudent.call(s), p: 2, dim: 1));  // [B, B]
        var correlationTeacher = Correlation(F.normalize(embedTeacher.call(t), p: 2, dim: 1));  // [B, B]
        return (correlationTeacher - correlationStudent).pow(2).mean().MoveToOuterDisposeScope();
    }

    /// <summary>The P-order Taylor expansion of the Gaussian RBF kernel between every pair of unit-norm rows, [B, B].</summary>
    /// <param name="embeddings">Unit-norm embeddings [B, D].</param>
    public Tensor Correlation(Tensor embeddings)
    {
        var similarity = matmul(embeddings, embeddings.t());      // xᵢᵀxⱼ: [B, B]
        double twoGamma = 2 * Options.Gamma, coefficient = Math.Exp(-twoGamma);
        var kernel = full_like(similarity, coefficient);          // the p = 0 term
        for (int p = 1; p <= Options.Order; p++)
        {
            coefficient *= twoGamma / p;                          // e^{−2γ} (2γ)^p / p!
            kernel = kernel + coefficient * similarity.pow(p);
        }
        return kernel;
    }

    private Tensor Flatten(Tensor feature, string side, int width)
    {
        var flat = FeatureLossGuard.Flatten(feature);
        if (flat.shape[1] != width)
            throw new ArgumentException(
                $"cc: {FeatureLossGuard.Subject(Pair, side)} has shape {FeatureLossGuard.Shape(feature)} ({flat.shape[1]} values per sample) " +
                $"but the loss was built for {width}. Construct the loss with the flattened width (C, or C·L) of the layers it distils.");
        return flat;
    }
}
