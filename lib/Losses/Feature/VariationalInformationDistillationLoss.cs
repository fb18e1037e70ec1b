using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;
using F = TorchSharp.torch.nn.functional;

namespace Distill.Losses.Feature;

/// <summary>Options of <see cref="VariationalInformationDistillationLoss"/>, with the reference's defaults.</summary>
/// <param name="InitialVariance">Initial predicted variance σ² of every teacher channel (reference: 5.0).</param>
/// <param name="Epsilon">Floor ε added to the softplus so the variance never reaches 0 (reference: 1e-5).</param>
/// <param name="HiddenChannels">Width of the regressor's hidden layers; null means the teacher's channel count, as RepDistiller builds it.</param>
public sealed record VariationalInformationDistillationOptions(double InitialVariance = 5.0, double Epsilon = 1e-5, int? HiddenChannels = null);

/// <summary>Variational information distillation (VID): maximise a variational lower bound on the student–teacher mutual information.</summary>
/// <remarks>
/// Ahn, Hu, Damianou, Lawrence and Dai, "Variational Information Distillation for Knowledge Transfer", CVPR 2019.
/// The teacher feature t is modelled as a Gaussian with mean μ(s) regressed from the student feature s and a learned
/// per-channel variance σ²_c = log(1 + exp(α_c)) + ε (Eq. 5); the loss is the Gaussian negative log-likelihood
/// Σ_c [log σ_c + (t_c − μ_c(s))² / (2σ²_c)] of Eq. 2/5 without the constant, averaged over batch, channels and positions
/// as in the authors' code (RepDistiller's <c>VIDLoss</c>). μ is three 1×1 convolutions without bias with ReLU between
/// (linear layers for [B, C] features, which are treated as L = 1); α starts at softplus⁻¹(5.0 − ε).
/// When lengths differ the longer feature is average-pooled to the shorter, as the reference does.
/// The teacher feature is detached; the regressor and α are trained with the student.
/// </remarks>
public sealed class VariationalInformationDistillationLoss : DistillationLoss, ITeacherPassReader
{
    private readonly Sequential regressor;
    private readonly Parameter alpha;
    private readonly double epsilon;

    /// <summary>Creates the loss for one layer pair.</summary>
    /// <param name="pair">Which student feature predicts which teacher feature.</param>
    /// <param name="studentChannels">Channels C of the student feature.</param>
    /// <param name="teacherChannels">Channels C of the teacher feature.</param>
    /// <param name="options">Variance initialisation and floor; the reference's defaults when null.</param>
    /// <param name="device">Where its parameters live; null keeps TorchSharp's default, the CPU. Builders pass the student's device.</param>
    public VariationalInformationDistillationLoss(LayerPair pair, int studentChannels, int teacherChannels,
        VariationalInformationDistillationOptions? options = null, Device? device = null) : base(nameof(VariationalInformationDistillationLoss))
    {
        Options = options ?? new VariationalInformationDistillationOptions();
        if (studentChannels < 1 || teacherChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(studentChannels),
                $"vid: channel counts must be positive (student {studentChannels}, teacher {teacherChannels}).");
        if (Options.Epsilon <= 0 || Options.InitialVariance <= Options.Epsilon)
            throw new ArgumentOutOfRangeException(nameof(options),
                $"vid: need 0 < Epsilon < InitialVariance (got {Options.Epsilon} and {Options.InitialVariance}).");
        Pair = pair;
        StudentChannels = studentChannels;
        TeacherChannels = teacherChannels;
        epsilon = Options.Epsilon;
        int hidden = Options.HiddenChannels ?? teacherChannels;

        regressor = Sequential(
            ("conv1", Conv1d(studentChannels, hidden, 1, bias: false)),
            ("relu1", ReLU()),
            ("conv2", Conv1d(hidden, hidden, 1, bias: false)),
            ("relu2", ReLU()),
            ("conv3", Conv1d(hidden, teacherChannels, 1, bias: false)));
        // Inverse softplus, so that softplus(α) + ε starts exactly at the initial variance.
        double alpha0 = Math.Log(Math.Exp(Options.InitialVariance - epsilon) - 1.0);
        alpha = new Parameter(full(teacherChannels, alpha0, dtype: float32));
        RegisterComponents();
        if (device is not null) this.to(device);
    }

    /// <inheritdoc />
    public override string Name => "vid";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.FeaturesOf([Pair]);

    /// <summary>The distilled layer pair.</summary>
    public LayerPair Pair { get; }

    /// <summary>Channels of the student feature.</summary>
    public int StudentChannels { get; }

    /// <summary>Channels of the teacher feature.</summary>
    public int TeacherChannels { get; }

    /// <summary>The options in use.</summary>
    public VariationalInformationDistillationOptions Options { get; }

    /// <summary>The predicted per-channel variance σ² = softplus(α) + ε, [C_teacher].</summary>
    public Tensor Variance() => F.softplus(alpha) + epsilon;

    /// <inheritdoc />
    public override Tensor Compute(DistillationContext context)
        => Distance(Pair.SelectStudent(context.Student.Features), Pair.SelectTeacher(context.Teacher.Features));

    /// <summary>Negative log-likelihood of the teacher feature under the student's Gaussian.</summary>
    /// <param name="student">Student feature [B, Cs] or [B, Cs, L].</param>
    /// <param name="teacher">Teacher feature [B, Ct] or [B, Ct, L]; detached.</param>
    public Tensor Distance(Tensor student, Tensor teacher)
    {
        using var scope = NewDisposeScope();
        var (s, t) = Validate(student, teacher);  // [B, Cs, L], [B, Ct, L]
        var mean = regressor.call(s);             // μ(s): [B, Ct, L]
        var variance = Variance().view(1, -1, 1); // σ²: [1, Ct, 1]
        var negativeLogLikelihood = 0.5 * ((mean - t).pow(2) / variance + variance.log());
        return negativeLogLikelihood.mean().MoveToOuterDisposeScope();
    }

    private (Tensor Student, Tensor Teacher) Validate(Tensor student, Tensor teacher)
    {
        FeatureLossGuard.Check(Name, Pair, student, teacher, sameRank: false);
        CheckChannels(student, "student", StudentChannels);
        CheckChannels(teacher, "teacher", TeacherChannels);
        return FeatureLossGuard.PoolToShorter(FeatureLossGuard.AsSequence(student), FeatureLossGuard.AsSequence(teacher.detach()));
    }

    private void CheckChannels(Tensor feature, string side, int channels)
    {
        if (feature.shape[1] != channels)
            throw new ArgumentException(
                $"vid: {FeatureLossGuard.Subject(Pair, side)} has {feature.shape[1]} channels but the loss was built for {channels}. " +
                "Construct the loss with the channel counts of the layers it distils.");
    }
}
