using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.BeatGan;

/// <summary>Reconstruction distillation: the student generator's reconstruction is pulled towards the teacher's.</summary>
/// <remarks>
/// Output distillation for an autoencoder, in the sense of Hinton, Vinyals, Dean, "Distilling the Knowledge in a Neural
/// Network", NIPS DL Workshop 2015: the teacher's output G_T(x) is the soft target of the student's G_S(x),
/// <c>L = mean (G_S(x) − G_T(x))²</c>. For BeatGAN (Zhou et al., IJCAI 2019) the outputs are reconstructions [B, nc, L];
/// the teacher's reconstruction errors of normal beats are what the anomaly score measures, so matching them transfers
/// "what a normal beat looks like to the teacher". Reads <see cref="Models.FeatureOutput.Output"/> of both passes.
/// </remarks>
public sealed class ReconstructionDistillationLoss : DistillationLoss, ITeacherPassReader
{
    /// <summary>Builds the loss; it has no parameters.</summary>
    public ReconstructionDistillationLoss() : base(nameof(ReconstructionDistillationLoss)) { }

    /// <inheritdoc />
    public override string Name => "rec-kd";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.OutputOnly;

    /// <summary>Mean squared difference between the student's and the (detached) teacher's reconstructions.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var student = context.Student.Output; // [B, nc, L]
        var teacher = context.Teacher.Output.detach();
        if (!student.shape.SequenceEqual(teacher.shape))
            throw new ArgumentException(
                $"Reconstruction distillation: student output [{string.Join(", ", student.shape)}] and teacher output " +
                $"[{string.Join(", ", teacher.shape)}] differ; both generators must reconstruct the same beats (same nc and L).");
        return nn.functional.mse_loss(student, teacher);
    }
}
