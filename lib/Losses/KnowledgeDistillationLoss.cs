using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses;

/// <summary>Hinton's knowledge distillation: the temperature-softened KL divergence from teacher to student, times <c>T²</c>.</summary>
/// <remarks>
/// Hinton, Vinyals, Dean, "Distilling the Knowledge in a Neural Network", NIPS Deep Learning Workshop 2015 (arXiv:1503.02531),
/// Section 2: <c>L = T² · KL(p_t^T ‖ p_s^T)</c> with <c>p^T = softmax(z / T)</c> (Eq. 1), summed over classes and averaged over
/// the batch, as RepDistiller's <c>DistillKL</c> does. The gradient with respect to a student logit is
/// <c>T · (p_s^T − p_t^T) / B</c>; for large <c>T</c> and zero-mean logits it tends to <c>(z_s − z_t) / (C · B)</c> (Eq. 2–4), which
/// does not depend on <c>T</c>: the <c>T²</c> factor keeps the soft term's gradient on the same scale whatever the temperature.
/// The teacher's logits are detached, so no gradient ever reaches the teacher. For single-logit binary classifiers use
/// <see cref="BinaryKnowledgeDistillationLoss"/>: a softmax over one logit is always 1.
/// </remarks>
public sealed class KnowledgeDistillationLoss : DistillationLoss, ITeacherPassReader
{
    /// <summary>Creates the loss with temperature <paramref name="temperature"/> (Hinton et al. and RepDistiller: 4).</summary>
    public KnowledgeDistillationLoss(double temperature = 4.0) : base(nameof(KnowledgeDistillationLoss))
        => Temperature = SoftTargets.CheckTemperature(temperature, nameof(temperature));

    /// <summary>The softmax temperature <c>T</c>.</summary>
    public double Temperature { get; }

    /// <inheritdoc />
    public override string Name => "kd";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.OutputOnly;

    /// <summary>Computes <c>T² · mean_b KL(p_t^T ‖ p_s^T)</c> from the student's and teacher's logits <c>[B, C]</c>.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        using var scope = NewDisposeScope();
        var student = context.Student.Output;                         // [B, C]
        var teacher = context.Teacher.Output.detach();                // [B, C]
        SoftTargets.CheckPair(student, teacher, nameof(KnowledgeDistillationLoss));
        var logStudent = SoftTargets.LogProbabilities(student, Temperature);
        var logTeacher = SoftTargets.LogProbabilities(teacher, Temperature);
        return (SoftTargets.KlBatchMean(logStudent, logTeacher) * (Temperature * Temperature)).MoveToOuterDisposeScope();
    }
}
