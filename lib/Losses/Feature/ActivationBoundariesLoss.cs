using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Distill.Losses.Feature;

/// <summary>Options of <see cref="ActivationBoundariesLoss"/>, with the paper's defaults.</summary>
/// <param name="Margin">Margin μ of the squared hinge: the connected student response must exceed +μ where the teacher
/// neuron is active and stay below −μ where it is not (paper and reference: 1.0).</param>
public sealed record ActivationBoundariesOptions(double Margin = 1.0);

/// <summary>Activation boundaries (AB): the student's neurons should switch on and off exactly where the teacher's do.</summary>
/// <remarks>
/// Heo, Lee, Yun and Choi, "Knowledge Transfer via Distillation of Activation Boundaries Formed by Hidden Neurons",
/// AAAI 2019, Eq. 6: ‖ρ(T) ⊙ σ(μ1 − r(S)) + (1 − ρ(T)) ⊙ σ(μ1 + r(S))‖²₂ with ρ(T) = 1[T &gt; 0], σ the ReLU, applied
/// element-wise before squaring, on the pre-ReLU responses (<c>PreActivations</c>) of both networks. r is the connector,
/// a 1×1 convolution without bias followed by batch normalisation (He-normal weights), as in the authors' code; for
/// [B, C] features it acts as a linear layer (L = 1). The squared norm is summed over neurons and averaged over the batch.
/// Deviations of RepDistiller's <c>ABLoss</c>: it skips the connector when shapes match, weights several layers by
/// 2^(i−n+1) and rescales by 3/1000; here one pair is distilled per loss and those constants belong to the term weight.
/// The paper uses AB to initialise the student before classification training; this loss can serve either stage.
/// </remarks>
public sealed class ActivationBoundariesLoss : DistillationLoss
{
    private readonly Sequential connector;

    /// <summary>Creates the loss for one pair of pre-activation features.</summary>
    /// <param name="pair">Which student pre-activation is connected to which teacher pre-activation.</param>
    /// <param name="studentChannels">Channels C of the student feature.</param>
    /// <param name="teacherChannels">Channels C of the teacher feature.</param>
    /// <param name="options">The margin; the paper's default when null.</param>
    /// <param name="device">Where its parameters live; null keeps TorchSharp's default, the CPU. Builders pass the student's device.</param>
    public ActivationBoundariesLoss(LayerPair pair, int studentChannels, int teacherChannels, ActivationBoundariesOptions? options = null, Device? device = null)
        : base(nameof(ActivationBoundariesLoss))
    {
        Options = options ?? new ActivationBoundariesOptions();
        if (studentChannels < 1 || teacherChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(studentChannels),
                $"ab: channel counts must be positive (student {studentChannels}, teacher {teacherChannels}).");
        if (!(Options.Margin > 0))
            throw new ArgumentOutOfRangeException(nameof(options), $"ab: the margin must be positive (got {Options.Margin}).");
        Pair = pair;
        StudentChannels = studentChannels;
        TeacherChannels = teacherChannels;

        var conv = Conv1d(studentChannels, teacherChannels, 1, bias: false);
        // He initialisation over the output fan (kernel size 1 × out channels), as the authors initialise the connector.
        using (no_grad()) conv.weight!.normal_(0, Math.Sqrt(2.0 / teacherChannels));
        connector = Sequential(("conv", conv), ("bn", BatchNorm1d(teacherChannels)));
        RegisterComponents();
        if (device is not null) this.to(device);
    }

    /// <inheritdoc />
    public override string Name => "ab";

    /// <summary>The distilled layer pair (indices into <c>PreActivations</c>).</summary>
    public LayerPair Pair { get; }

    /// <summary>Channels of the student feature.</summary>
    public int StudentChannels { get; }

    /// <summary>Channels of the teacher feature.</summary>
    public int TeacherChannels { get; }

    /// <summary>The options in use.</summary>
    public ActivationBoundariesOptions Options { get; }

    /// <inheritdoc />
    public override Tensor Compute(DistillationContext context)
        => Distance(Pair.SelectStudent(context.Student.PreActivations), Pair.SelectTeacher(context.Teacher.PreActivations));

    /// <summary>Eq. 6 between a student and a teacher pre-activation.</summary>
    /// <param name="student">Student pre-ReLU feature [B, Cs] or [B, Cs, L].</param>
    /// <param name="teacher">Teacher pre-ReLU feature [B, Ct] or [B, Ct, L] with the same L; detached.</param>
    public Tensor Distance(Tensor student, Tensor teacher)
    {
        using var scope = NewDisposeScope();
        FeatureLossGuard.Check(Name, Pair, student, teacher, sameRank: false);
        CheckChannels(student, "student", StudentChannels);
        CheckChannels(teacher, "teacher", TeacherChannels);
        var s = FeatureLossGuard.AsSequence(student);                      // [B, Cs, L]
        var t = FeatureLossGuard.AsSequence(teacher.detach());             // [B, Ct, L]
        FeatureLossGuard.CheckSameLength(Name, Pair, s, t, "activation boundaries are compared neuron by neuron. Pair layers of equal length.");

        var connected = connector.call(s);                                 // r(S): [B, Ct, L]
        var active = (t > 0).to(connected.dtype);                          // ρ(T)
        double margin = Options.Margin;
        var hinge = active * F.relu(margin - connected).pow(2) + (1 - active) * F.relu(margin + connected).pow(2);
        return hinge.sum([1, 2]).mean().MoveToOuterDisposeScope();
    }

    private void CheckChannels(Tensor feature, string side, int channels)
    {
        if (feature.shape[1] != channels)
            throw new ArgumentException(
                $"ab: {FeatureLossGuard.Subject(Pair, side)} has {feature.shape[1]} channels but the loss was built for {channels}. " +
                "Construct the loss with the channel counts of the layers it distils.");
    }
}
