using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses;

/// <summary>The soft-target cross-entropy <c>−Σ_c p_t^T log p_s^T</c> (the lab notes' "negative" KD), times <c>T²</c>.</summary>
/// <remarks>
/// Li and Hoiem, "Learning without Forgetting", ECCV 2016 / IEEE TPAMI 2017, Eq. 2 (the old-task loss
/// <c>L_old = −Σ_i y'_o^(i) log ŷ'_o^(i)</c>) with the softening of Eq. 3 (<c>y' ∝ y^(1/T)</c>, which for softmax outputs is
/// <c>softmax(z / T)</c>) and their <c>T = 2</c>, the default here. The minus sign makes it a positive cross-entropy, not a
/// negated loss.
/// Averaged over the batch. <b>Scaling choice:</b> multiplied by <c>T²</c> like <see cref="KnowledgeDistillationLoss"/>
/// (the LwF paper writes no <c>T²</c> and lets its weight λ_o absorb the scale). With that choice
/// <c>L_soft-ce = L_kd + T² · mean_b H(p_t^T)</c>: the two losses differ by the teacher's entropy, a constant for the student,
/// so their gradients with respect to the student are identical; only the loss curves are shifted.
/// <see cref="LogitKind.BinarySingleLogit"/> applies it to single-logit binary classifiers through the two classes <c>[0, z]</c>
/// of <see cref="BinaryLogit"/>.
/// </remarks>
public sealed class NegativeSoftTargetCrossEntropyLoss : DistillationLoss, ITeacherPassReader
{
    /// <summary>Creates the loss (Li and Hoiem: <c>T = 2</c>) for multi-class or single-logit outputs.</summary>
    public NegativeSoftTargetCrossEntropyLoss(double temperature = 2.0, LogitKind kind = LogitKind.Multiclass) : base(nameof(NegativeSoftTargetCrossEntropyLoss))
    {
        Temperature = SoftTargets.CheckTemperature(temperature, nameof(temperature));
        Kind = Enum.IsDefined(kind) ? kind : throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown logit kind.");
    }

    /// <summary>The softmax temperature <c>T</c>.</summary>
    public double Temperature { get; }

    /// <summary>Whether the outputs are per-class logits or one sigmoid logit.</summary>
    public LogitKind Kind { get; }

    /// <inheritdoc />
    public override string Name => "soft-ce";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.OutputOnly;

    /// <summary>Computes <c>T² · mean_b (−Σ_c p_t^T log p_s^T)</c>.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        using var scope = NewDisposeScope();
        var student = context.Student.Output;
        var teacher = context.Teacher.Output.detach();
        if (Kind == LogitKind.BinarySingleLogit) SoftTargets.CheckBinaryPair(student, teacher, nameof(NegativeSoftTargetCrossEntropyLoss));
        else SoftTargets.CheckPair(student, teacher, nameof(NegativeSoftTargetCrossEntropyLoss));
        var logStudent = LogProbabilities(student);                 // [B, K]
        var teacherProbabilities = LogProbabilities(teacher).exp(); // [B, K]
        var crossEntropy = -(teacherProbabilities * logStudent).sum(1).mean();
        return (crossEntropy * (Temperature * Temperature)).MoveToOuterDisposeScope();
    }

    // [B, C] for class logits; [B, 2] for a single logit, read as the two classes [0, z].
    private Tensor LogProbabilities(Tensor logits) => Kind == LogitKind.BinarySingleLogit
        ? BinaryLogit.TwoClassLogProbabilities(logits, Temperature)
        : SoftTargets.LogProbabilities(logits, Temperature);
}
