using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.BeatGan;

/// <summary>The lab notes' "KL" term, reproduced to show that it cannot train anything: its value carries no gradient.</summary>
/// <remarks>
/// The BeatGAN KD meeting notes (7th meeting, 2021-11-17) compute <c>DistillKL(y_s, y_t)</c> where y_s and y_t are the
/// student's and the teacher's per-beat anomaly scores as NumPy arrays: <c>torch.from_numpy</c> builds new leaf tensors,
/// so <c>KL(softmax(y_t/T) ‖ softmax(y_s/T)) · T²</c> is a constant with respect to every network parameter. Adding it to
/// the generator loss changes the reported loss but not one gradient; the reported AUC differences (0.9474 vs 0.9348) are
/// therefore seed noise. This class copies the scores to the CPU as doubles (the NumPy step) and computes the notes' KL
/// (scores over the batch, +score/T as in the notes, KL summed). The generic Distiller rejects such a term; the BeatGAN
/// student trainer accepts it only with <c>AcceptGradientFreeTerms</c>, which exists for this demonstration.
/// Targets must be the input beats [B, nc, L].
/// </remarks>
public sealed class ConstantScoreKdLoss : DistillationLoss, ITeacherPassReader
{
    private readonly double _temperature;

    /// <summary>Builds the term with the notes' temperature (their value is not shown; 4 is RepDistiller's default).</summary>
    public ConstantScoreKdLoss(double temperature = 4.0) : base(nameof(ConstantScoreKdLoss))
    {
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be positive and finite.");
        _temperature = temperature;
    }

    /// <inheritdoc />
    public override string Name => "const-kd";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.OutputOnly;

    /// <summary>The notes' KL on copied scores: a scalar with <c>requires_grad == false</c>.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var scope = NewDisposeScope();
        // The NumPy round trip of the notes: the scores leave the graph here.
        double[] student = Scores(context.Targets, context.Student.Output);
        double[] teacher = Scores(context.Targets, context.Teacher.Output);
        var ys = tensor(student, device: context.Student.Output.device).unsqueeze(0) / _temperature; // [1, B]
        var yt = tensor(teacher, device: context.Student.Output.device).unsqueeze(0) / _temperature;
        var logStudent = ys.log_softmax(1);
        var logTeacher = yt.log_softmax(1);
        var kl = (logTeacher.exp() * (logTeacher - logStudent)).sum() * (_temperature * _temperature);
        return kl.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    private static double[] Scores(Tensor beats, Tensor reconstruction)
    {
        using var _ = no_grad();
        return BeatErrors.Of(beats, reconstruction, nameof(ConstantScoreKdLoss)).cpu().to_type(ScalarType.Float64).data<double>().ToArray();
    }
}
