using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses;

/// <summary>Decoupled Knowledge Distillation: the KD loss split into a target-class term (TCKD) and a non-target term (NCKD), reweighted.</summary>
/// <remarks>
/// Zhao, Cui, Song, Qiu, Liang, "Decoupled Knowledge Distillation", CVPR 2022, Eq. 7: <c>DKD = α · TCKD + β · NCKD</c>, where
/// TCKD is the KL between the binary distributions <c>[p_gt, 1 − p_gt]</c> of teacher and student and NCKD the KL between
/// their distributions over the non-target classes only (renormalised without the ground-truth class). Both are
/// temperature-softened, summed over classes, averaged over the batch and multiplied by <c>T²</c>, as in the authors'
/// mdistiller code.
/// <para>
/// Ground-truth masking follows mdistiller's <c>dkd_loss</c>: for NCKD, <c>1000 · onehot(y)</c> is subtracted from <c>z / T</c>
/// before the softmax, which makes the target class's probability underflow to 0 (exact as long as the spread of
/// <c>z / T</c> is far below 1000). Deviation: mdistiller takes <c>log</c> of the summed binary probabilities for TCKD; here
/// <c>log p_gt</c> and <c>log(1 − p_gt)</c> come from log-softmax and log-sum-exp, the same values without <c>log 0</c> when a
/// student is very confident. mdistiller also ramps the DKD weight linearly over the first 20 epochs; that warm-up is a
/// training schedule on the term's weight and is not part of this loss.
/// </para>
/// </remarks>
public sealed class DecoupledKnowledgeDistillationLoss : DistillationLoss, ITeacherPassReader
{
    // mdistiller's constant: large enough that exp(-1000) underflows in float32 and float64, finite so that 0 · log q stays 0.
    private const double TargetMask = 1000.0;

    /// <summary>Creates the loss; <paramref name="options"/> defaults to the paper's α = 1, β = 8, T = 4.</summary>
    public DecoupledKnowledgeDistillationLoss(DkdOptions? options = null) : base(nameof(DecoupledKnowledgeDistillationLoss))
    {
        Options = options ?? new DkdOptions();
        SoftTargets.CheckTemperature(Options.Temperature, nameof(options));
        if (!double.IsFinite(Options.Alpha) || Options.Alpha < 0 || !double.IsFinite(Options.Beta) || Options.Beta < 0)
            throw new ArgumentOutOfRangeException(nameof(options), Options,
                "DKD weights alpha and beta must be finite and non-negative (the paper uses alpha = 1, beta = 8).");
    }

    /// <summary>The weights α, β and the temperature.</summary>
    public DkdOptions Options { get; }

    /// <inheritdoc />
    public override string Name => "dkd";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.OutputOnly;

    /// <summary>Computes <c>α · TCKD + β · NCKD</c> (Eq. 7); needs the ground-truth classes in <see cref="DistillationContext.Targets"/>.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        using var scope = NewDisposeScope();
        var (tckd, nckd) = Decompose(context);
        return (tckd * Options.Alpha + nckd * Options.Beta).MoveToOuterDisposeScope();
    }

    /// <summary>The two unweighted parts, each already multiplied by <c>T²</c>: (TCKD, NCKD).</summary>
    public (Tensor Tckd, Tensor Nckd) Decompose(DistillationContext context)
    {
        using var scope = NewDisposeScope();
        var student = context.Student.Output;                         // [B, C]
        var teacher = context.Teacher.Output.detach();                // [B, C]
        SoftTargets.CheckPair(student, teacher, nameof(DecoupledKnowledgeDistillationLoss));
        var targets = CheckTargets(context.Targets, student.shape[0], student.shape[1]);      // [B]
        var isTarget = nn.functional.one_hot(targets, student.shape[1]).to(student.dtype);   // [B, C]
        double t = Options.Temperature;

        var tckd = SoftTargets.KlBatchMean(TargetVersusRest(student, isTarget, t), TargetVersusRest(teacher, isTarget, t)) * (t * t);
        var nckd = SoftTargets.KlBatchMean(
            nn.functional.log_softmax(student / t - isTarget * TargetMask, 1),
            nn.functional.log_softmax(teacher / t - isTarget * TargetMask, 1)) * (t * t);
        return (tckd.MoveToOuterDisposeScope(), nckd.MoveToOuterDisposeScope());
    }

    // [log p_gt, log(1 - p_gt)] of softmax(z / T): the paper's binary distribution b = [p_t, p_\t].
    private static Tensor TargetVersusRest(Tensor logits, Tensor isTarget, double temperature)
    {
        var logProbabilities = nn.functional.log_softmax(logits / temperature, 1);                   // [B, C]
        var logTarget = (logProbabilities * isTarget).sum(1, keepdim: true);                           // [B, 1]
        var logRest = (logProbabilities - isTarget * TargetMask).logsumexp(1, keepdim: true);          // [B, 1]
        return cat([logTarget, logRest], 1);                                                            // [B, 2]
    }

    private static Tensor CheckTargets(Tensor targets, long batch, long classes)
    {
        const string loss = nameof(DecoupledKnowledgeDistillationLoss);
        if (targets.is_floating_point() || targets.dtype == ScalarType.Bool)
            throw new ArgumentException($"{loss}: targets must be integer class indices, got {targets.dtype}; pass the labels, not one-hot or probabilities.");
        var flat = (targets.dim() == 2 && targets.shape[1] == 1 ? targets.reshape(-1) : targets).to(ScalarType.Int64);
        if (flat.dim() != 1 || flat.shape[0] != batch)
            throw new ArgumentException(
                $"{loss}: targets must be [batch] = [{batch}] class indices, got [{string.Join(", ", targets.shape)}]; DKD needs the ground-truth class of every example.");
        long min = flat.min().item<long>(), max = flat.max().item<long>();
        if (min < 0 || max >= classes)
            throw new ArgumentOutOfRangeException(nameof(targets),
                $"{loss}: target classes must lie in 0..{classes - 1}, got values from {min} to {max}.");
        return flat;
    }
}
