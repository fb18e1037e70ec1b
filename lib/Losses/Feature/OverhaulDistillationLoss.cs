using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Losses.Feature;

/// <summary>Options of <see cref="OverhaulDistillationLoss"/>.</summary>
/// <param name="Scale">Factor applied to the per-sample partial L2 sum; the authors' CIFAR script uses 1/1000 (ImageNet 1/10000).</param>
public sealed record OverhaulOptions(double Scale = 1e-3);

/// <summary>The Overhaul of feature distillation: margin ReLU on the teacher's pre-ReLU feature, a student connector, and a partial L2 distance.</summary>
/// <remarks>
/// Heo, Kim, Yun, Park, Kwak and Choi, "A Comprehensive Overhaul of Feature Distillation", ICCV 2019. Both features
/// are taken at the pre-ReLU position (<c>FeatureOutput.PreActivations</c>), as in the authors' code. The teacher
/// passes through the margin ReLU <c>sigma_m(x) = max(x, m)</c> with per-channel margins from its BatchNorm (Eq. 3,
/// <see cref="OverhaulMargins"/>); the student passes through the connector <c>r</c>: a bias-free linear map to the
/// teacher width (kernel-1 <c>Conv1d</c> for <c>[B, C, L]</c>) then BatchNorm, initialised as the authors' code
/// (weights N(0, 2 / C_t), BN weight 1, bias 0) and trained with the student. The partial L2 distance (Eq. 4) skips a
/// position where the student is at or below the target and the target is not positive, since a ReLU would map both
/// to zero. Normalisation follows the authors' training script: the sum over all positions divided by the batch size
/// and multiplied by <see cref="OverhaulOptions.Scale"/> (1/1000). Deviation: the authors' per-stage divisors
/// (8, 4, 2, 1 for ResNet stages of shrinking resolution) are left out, as this loss distils one layer pair.
/// </remarks>
public sealed class OverhaulDistillationLoss : DistillationLoss
{
    private const string Display = "OverhaulDistillationLoss (ofd)";
    private readonly LayerPair _pair;
    private readonly double _scale;
    private readonly Linear connector;
    private readonly BatchNorm1d connectorNorm;
    private readonly Tensor margins;

    /// <summary>Builds the loss for one layer pair, its student connector, and the teacher's margins.</summary>
    /// <param name="pair">Student and teacher layers (indices into <c>FeatureOutput.PreActivations</c>).</param>
    /// <param name="studentChannels">Channels (units) of the student's pre-ReLU feature.</param>
    /// <param name="margins">Per-channel teacher margins [C_t], from <see cref="OverhaulMargins.FromBatchNorm"/>.</param>
    /// <param name="options">Normalisation; default as the authors' CIFAR script.</param>
    /// <param name="device">Where its parameters live; null keeps TorchSharp's default, the CPU. Builders pass the student's device.</param>
    public OverhaulDistillationLoss(LayerPair pair, int studentChannels, Tensor margins, OverhaulOptions? options = null, Device? device = null)
        : base(nameof(OverhaulDistillationLoss))
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(studentChannels, 1);
        ArgumentNullException.ThrowIfNull(margins);
        if (margins.dim() != 1 || margins.shape[0] < 1)
            throw new ArgumentException(
                $"{Display}: margins must be [C_t], one per teacher channel, got {FeatureLossGuard.Shape(margins)}. Use OverhaulMargins.FromBatchNorm.",
                nameof(margins));
        _pair = pair;
        _scale = (options ?? new OverhaulOptions()).Scale;
        if (!(_scale > 0) || double.IsInfinity(_scale))
            throw new ArgumentOutOfRangeException(nameof(options), _scale, $"{Display}: Scale must be positive and finite (the authors use 1/1000).");
        long teacherChannels = margins.shape[0];
        connector = nn.Linear(studentChannels, teacherChannels, hasBias: false, device: device);
        connectorNorm = nn.BatchNorm1d(teacherChannels, device: device);
        using (no_grad())
            nn.init.normal_(connector.weight, 0.0, Math.Sqrt(2.0 / teacherChannels));
        this.margins = margins.detach().to(float32).to(device ?? CPU).clone();
        RegisterComponents();
    }

    /// <inheritdoc />
    public override string Name => "ofd";

    /// <summary>The partial L2 distance between the connected student feature and the margin-ReLU teacher feature.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        using var scope = NewDisposeScope();
        Tensor student = _pair.SelectStudent(context.Student.PreActivations);
        Tensor teacher = _pair.SelectTeacher(context.Teacher.PreActivations).detach();
        FeatureLossGuard.CheckPointwise(Display, _pair, student, teacher, connector.in_features, margins.shape[0], "connector");

        Tensor connected = Connect(student);                                            // [B, Ct] or [B, Ct, L]
        Tensor margin = student.dim() == 2 ? margins.unsqueeze(0) : margins.view(1, -1, 1);
        Tensor target = maximum(teacher, margin);                                       // margin ReLU on the teacher
        Tensor counted = logical_or(connected > target, target > 0);                    // Eq. 4: skip s <= t <= 0
        Tensor distance = (connected - target).pow(2) * counted.to(connected.dtype);
        return (distance.sum() * (_scale / student.shape[0])).MoveToOuterDisposeScope();
    }

    private Tensor Connect(Tensor student) => connectorNorm.forward(PointwiseLinear.Apply(connector, student));
}
