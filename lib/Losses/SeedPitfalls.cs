using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses;

/// <summary>
/// Reproduces, ON PURPOSE, the two bugs of the lab seeds' <c>DistillKL</c> so that tests and notebooks can show why they fail.
/// Never use these as losses: both return a term that cannot teach the student anything.
/// </summary>
/// <remarks>
/// Bug 1 comes from the CRD blog seed: its tabular <c>ANN</c> ends in <c>Linear(·, 1)</c> + <c>Sigmoid</c>, and RepDistiller's
/// <c>DistillKL</c>, <c>kl_div(log_softmax(y_s / T, dim=1), softmax(y_t / T, dim=1), size_average=False) · T² / B</c>, is applied to
/// that <c>[B, 1]</c> probability: a softmax over one column. Bug 2 comes from the BeatGAN KD meeting notes: <c>DistillKL</c> rebuilds
/// both scores with <c>torch.from_numpy</c>, so the term added to the generator's loss is cut from the graph.
/// The correct losses are <see cref="BinaryKnowledgeDistillationLoss"/> and <see cref="KnowledgeDistillationLoss"/>.
/// </remarks>
public static class SeedPitfalls
{
    /// <summary>
    /// BUG REPRODUCED ON PURPOSE: the CRD seed's KL over a softmax of one column. A softmax over a single value is 1 and its
    /// log-softmax is 0, so the result is exactly 0, with a zero gradient, for every input.
    /// </summary>
    /// <param name="studentScores">The student's sigmoid probabilities (or logits), <c>[B, 1]</c>.</param>
    /// <param name="teacherScores">The teacher's sigmoid probabilities (or logits), <c>[B, 1]</c>.</param>
    /// <param name="temperature">The temperature <c>T</c>.</param>
    public static Tensor KlOverSingleColumn(Tensor studentScores, Tensor teacherScores, double temperature = 4.0)
    {
        SoftTargets.CheckTemperature(temperature, nameof(temperature));
        if (studentScores.dim() != 2 || studentScores.shape[1] != 1 || !studentScores.shape.SequenceEqual(teacherScores.shape))
            throw new ArgumentException("This reproduction expects [batch, 1] student and teacher scores, the seed's shape.");
        using var scope = NewDisposeScope();
        var logStudent = nn.functional.log_softmax(studentScores / temperature, 1);   // [B, 1], all exactly 0
        var teacher = nn.functional.softmax(teacherScores / temperature, 1);          // [B, 1], all exactly 1
        var kl = (teacher * (teacher.log() - logStudent)).sum() * (temperature * temperature) / studentScores.shape[0];
        return kl.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// BUG REPRODUCED ON PURPOSE: Hinton's KD computed from scores copied to a managed array and back, as the BeatGAN seed did
    /// with NumPy scores and <c>torch.from_numpy</c>. The copy cuts the autograd graph: the value looks right but carries no
    /// gradient, so the student's parameters never feel it.
    /// </summary>
    /// <param name="studentLogits">The student's logits <c>[B, C]</c> (with gradient, which the copy discards).</param>
    /// <param name="teacherLogits">The teacher's logits <c>[B, C]</c>.</param>
    /// <param name="temperature">The temperature <c>T</c>.</param>
    public static Tensor KdFromCopiedScores(Tensor studentLogits, Tensor teacherLogits, double temperature = 4.0)
    {
        using var scope = NewDisposeScope();
        var copied = CopyThroughArray(studentLogits);
        var logStudent = SoftTargets.LogProbabilities(copied, temperature);
        var logTeacher = SoftTargets.LogProbabilities(CopyThroughArray(teacherLogits), temperature);
        return (SoftTargets.KlBatchMean(logStudent, logTeacher) * (temperature * temperature)).MoveToOuterDisposeScope();
    }

    private static Tensor CopyThroughArray(Tensor scores)
    {
        var values = scores.detach().cpu().to(ScalarType.Float64).data<double>().ToArray();
        return tensor(values, scores.shape, ScalarType.Float64, scores.device).to(scores.dtype);
    }
}
