using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.BeatGan;

/// <summary>Options of <see cref="AnomalyScoreDistillationLoss"/>.</summary>
/// <param name="Temperature">T of the softmax over the batch of −error / T. BeatGAN's errors of [−1, 1] beats are of the
/// order 1e-3 to 1e-1, so T sits on that scale (0.01); T = 1 would give a flat distribution and almost no signal.</param>
public sealed record AnomalyScoreDistillationOptions(double Temperature = 0.01);

/// <summary>Anomaly-score distribution KD: the student ranks the beats of a batch by reconstruction error as the teacher does.</summary>
/// <remarks>
/// Hinton, Vinyals, Dean, "Distilling the Knowledge in a Neural Network", NIPS DL Workshop 2015, Eq. 2 (soft targets,
/// KL scaled by T²), applied to BeatGAN's anomaly score A(x) = ||x − G(x)||² (Zhou et al., IJCAI 2019, Section 3):
/// over the B beats of a batch, <c>p_T = softmax(−e_T / T)</c>, <c>p_S = softmax(−e_S / T)</c> and
/// <c>L = T² · Σ_i p_T,i (log p_T,i − log p_S,i)</c>. This is what the lab notes' DistillKL meant: their version
/// converted the scores to NumPy first, so the student side carried no gradient (<see cref="ConstantScoreKdLoss"/>).
/// Here e_S is computed from the student's live reconstruction, so the term trains the student.
/// The context's <c>Targets</c> must be the input beats x [B, nc, L].
/// </remarks>
public sealed class AnomalyScoreDistillationLoss : DistillationLoss, ITeacherPassReader
{
    private readonly double _temperature;

    /// <summary>Builds the loss; throws for a non-positive temperature.</summary>
    public AnomalyScoreDistillationLoss(AnomalyScoreDistillationOptions? options = null) : base(nameof(AnomalyScoreDistillationLoss))
    {
        _temperature = (options ?? new AnomalyScoreDistillationOptions()).Temperature;
        if (!(_temperature > 0) || double.IsInfinity(_temperature))
            throw new ArgumentOutOfRangeException(nameof(options), _temperature, "The temperature must be positive and finite (0.01 suits BeatGAN's errors).");
    }

    /// <inheritdoc />
    public override string Name => "score-kd";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.OutputOnly;

    /// <summary>T² · KL(p_T ‖ p_S) of the batch's error distributions.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var scope = NewDisposeScope();
        var studentErrors = BeatErrors.Of(context.Targets, context.Student.Output, nameof(AnomalyScoreDistillationLoss));       // [B]
        var teacherErrors = BeatErrors.Of(context.Targets, context.Teacher.Output.detach(), nameof(AnomalyScoreDistillationLoss)); // [B]
        if (studentErrors.shape[0] < 2)
            throw new ArgumentException("Anomaly-score KD compares the beats of a batch with each other: give at least 2 beats.");
        var logStudent = (-studentErrors / _temperature).log_softmax(0);
        var logTeacher = (-teacherErrors / _temperature).log_softmax(0);
        // KL written out: TorchSharp's kl_div defaults differ from PyTorch's (log_target).
        var kl = (logTeacher.exp() * (logTeacher - logStudent)).sum();
        return (kl * (_temperature * _temperature)).MoveToOuterDisposeScope();
    }
}
