using Distill.Models.BeatGan;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Distill.Losses.BeatGan;

/// <summary>Latent distillation: the student's code z_S = G_E,S(x) regresses the teacher's z_T.</summary>
/// <remarks>
/// A FitNet-style hint (Romero et al., "FitNets: Hints for Thin Deep Nets", ICLR 2015, Eq. 3) placed at BeatGAN's
/// bottleneck (Zhou et al., IJCAI 2019): <c>L = mean (r(z_S) − z_T)²</c>, where r is a 1×1 convolution from nz_S to
/// nz_T channels when the codes differ in size (trained with the student, as FitNets' regressor) and the identity
/// otherwise. The code is read at <see cref="BeatGanGenerator.LatentIndex"/> of both generator passes.
/// </remarks>
public sealed class LatentDistillationLoss : DistillationLoss, ITeacherPassReader
{
    private readonly Module<Tensor, Tensor>? regressor;
    private readonly long _studentSize;
    private readonly long _teacherSize;

    /// <summary>Builds the loss for codes of <paramref name="studentLatent"/> and <paramref name="teacherLatent"/> channels.</summary>
    /// <param name="studentLatent">Channels of the student's latent code.</param>
    /// <param name="teacherLatent">Channels of the teacher's latent code.</param>
    /// <param name="device">Where its parameters live; null keeps TorchSharp's default, the CPU. Builders pass the student's device.</param>
    public LatentDistillationLoss(int studentLatent, int teacherLatent, Device? device = null) : base(nameof(LatentDistillationLoss))
    {
        if (studentLatent <= 0 || teacherLatent <= 0)
            throw new ArgumentOutOfRangeException(nameof(studentLatent), "Latent sizes nz must be positive.");
        _studentSize = studentLatent;
        _teacherSize = teacherLatent;
        if (studentLatent != teacherLatent) regressor = Conv1d(studentLatent, teacherLatent, 1, bias: false);
        RegisterComponents();
        if (device is not null) this.to(device);
    }

    /// <inheritdoc />
    public override string Name => "latent";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => new(false, [BeatGanGenerator.LatentIndex]);

    /// <summary>Mean squared difference between the (regressed) student code and the detached teacher code.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var student = context.Student.Features[BeatGanGenerator.LatentIndex]; // [B, nz_S, 1]
        var teacher = context.Teacher.Features[BeatGanGenerator.LatentIndex].detach(); // [B, nz_T, 1]
        if (student.dim() != 3 || student.shape[1] != _studentSize || teacher.dim() != 3 || teacher.shape[1] != _teacherSize)
            throw new ArgumentException(
                $"Latent distillation was built for codes of {_studentSize} (student) and {_teacherSize} (teacher) channels but got " +
                $"[{string.Join(", ", student.shape)}] and [{string.Join(", ", teacher.shape)}]; build it from the generators' LatentSize.");
        var mapped = regressor is null ? student : regressor.call(student);
        return functional.mse_loss(mapped, teacher);
    }
}
