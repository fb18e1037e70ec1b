using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses;

/// <summary>Knowledge distillation for a single sigmoid logit: the Bernoulli KL between softened teacher and student, times <c>T²</c>.</summary>
/// <remarks>
/// Hinton, Vinyals, Dean, "Distilling the Knowledge in a Neural Network", NIPS Deep Learning Workshop 2015, Eq. 1 applied to a
/// binary classifier with one logit <c>z</c> (<c>p = sigmoid(z)</c>): the two classes are <c>[0, z]</c>
/// (<see cref="BinaryLogit"/>), so the softened probabilities are <c>[1 − sigmoid(z / T), sigmoid(z / T)]</c> and
/// <c>L = T² · mean_b [ p_t log(p_t / p_s) + (1 − p_t) log((1 − p_t) / (1 − p_s)) ]</c>.
/// Computed with log-sigmoid, so confident logits never give <c>log 0</c>. This replaces the seeds' KL computed with a softmax
/// over the single probability, which is identically 0 (see <see cref="SeedPitfalls"/>).
/// </remarks>
public sealed class BinaryKnowledgeDistillationLoss : DistillationLoss, ITeacherPassReader
{
    /// <summary>Creates the loss with temperature <paramref name="temperature"/> (default 4, as for <see cref="KnowledgeDistillationLoss"/>).</summary>
    public BinaryKnowledgeDistillationLoss(double temperature = 4.0) : base(nameof(BinaryKnowledgeDistillationLoss))
        => Temperature = SoftTargets.CheckTemperature(temperature, nameof(temperature));

    /// <summary>The temperature <c>T</c> dividing the logit.</summary>
    public double Temperature { get; }

    /// <inheritdoc />
    public override string Name => "bkd";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.OutputOnly;

    /// <summary>Computes the Bernoulli KL from logits shaped <c>[B]</c> or <c>[B, 1]</c>.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        using var scope = NewDisposeScope();
        var student = context.Student.Output;                         // [B] or [B, 1]
        var teacher = context.Teacher.Output.detach();                // [B] or [B, 1]
        SoftTargets.CheckBinaryPair(student, teacher, nameof(BinaryKnowledgeDistillationLoss));
        var logStudent = BinaryLogit.TwoClassLogProbabilities(student, Temperature); // [B, 2]
        var logTeacher = BinaryLogit.TwoClassLogProbabilities(teacher, Temperature); // [B, 2]
        return (SoftTargets.KlBatchMean(logStudent, logTeacher) * (Temperature * Temperature)).MoveToOuterDisposeScope();
    }
}
