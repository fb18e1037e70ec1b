using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses;

/// <summary>Temperature-softened class probabilities, the input checks and the KL divergence shared by the logit losses.</summary>
/// <remarks>
/// Hinton, Vinyals, Dean, "Distilling the Knowledge in a Neural Network", NIPS Deep Learning Workshop 2015, Eq. 1:
/// <c>q_i = exp(z_i / T) / sum_j exp(z_j / T)</c>, for class logits <c>[B, C]</c>; a single binary logit becomes two
/// classes in <see cref="BinaryLogit"/> alone. Everything stays in log space so that confident logits never produce <c>log 0</c>.
/// </remarks>
internal static class SoftTargets
{
    /// <summary>Rejects temperatures that are not finite and positive.</summary>
    public static double CheckTemperature(double temperature, string paramName)
    {
        if (!double.IsFinite(temperature) || temperature <= 0)
            throw new ArgumentOutOfRangeException(paramName, temperature,
                $"The temperature must be a finite positive number (got {temperature}); Hinton et al. use values from 1 to 20, 4 is the usual default.");
        return temperature;
    }

    /// <summary>Checks that student and teacher class logits are finite and have the same shape <c>[B, C]</c>, <c>C ≥ 2</c>.</summary>
    public static void CheckPair(Tensor student, Tensor teacher, string lossName)
    {
        CheckClassLogits(student, "student", lossName);
        CheckClassLogits(teacher, "teacher", lossName);
        CheckSameBatch(student, teacher, lossName);
        if (student.shape[1] != teacher.shape[1])
            throw new ArgumentException(
                $"{lossName}: teacher and student class counts differ ({teacher.shape[1]} vs {student.shape[1]}); both output layers must have one logit per class of the same task.");
        CheckFinite(student, "student", lossName);
        CheckFinite(teacher, "teacher", lossName);
    }

    /// <summary>Checks that student and teacher single logits are finite, shaped <c>[B]</c> or <c>[B, 1]</c>
    /// (<see cref="BinaryLogit.Check"/>), with the same batch size.</summary>
    public static void CheckBinaryPair(Tensor student, Tensor teacher, string lossName)
    {
        BinaryLogit.Check(student, "student", lossName);
        BinaryLogit.Check(teacher, "teacher", lossName);
        CheckSameBatch(student, teacher, lossName);
        CheckFinite(student, "student", lossName);
        CheckFinite(teacher, "teacher", lossName);
    }

    /// <summary>Log-probabilities <c>log softmax(z / T)</c> of class logits, <c>[B, C]</c>.</summary>
    public static Tensor LogProbabilities(Tensor logits, double temperature)
        => nn.functional.log_softmax(logits / temperature, 1);                                     // [B, C]

    /// <summary><c>KL(p_t || p_s)</c> summed over classes and averaged over the batch, from log-probabilities <c>[B, K]</c>.</summary>
    /// <remarks>Written out rather than <c>kl_div</c>: TorchSharp's default is <c>log_target = true</c> and it has no batch mean.</remarks>
    public static Tensor KlBatchMean(Tensor logStudent, Tensor logTeacher)
        => (logTeacher.exp() * (logTeacher - logStudent)).sum(1).mean();

    private static void CheckClassLogits(Tensor logits, string side, string lossName)
    {
        if (logits.dim() != 2)
            throw new ArgumentException(
                $"{lossName}: the {side} logits must be [batch, classes], got [{string.Join(", ", logits.shape)}].");
        if (logits.shape[1] < 2)
            throw new ArgumentException(
                $"{lossName}: the {side} has a single output logit; a softmax over one logit is always 1, so the divergence would be 0 for any input. " +
                "Use BinaryKnowledgeDistillationLoss, or wrap the loss in BinaryAsTwoClassLoss, for single-logit binary classifiers.");
        if (!logits.is_floating_point())
            throw new ArgumentException($"{lossName}: the {side} logits must be floating point, got {logits.dtype}.");
    }

    private static void CheckSameBatch(Tensor student, Tensor teacher, string lossName)
    {
        if (student.shape[0] != teacher.shape[0])
            throw new ArgumentException(
                $"{lossName}: teacher and student batch sizes differ ({teacher.shape[0]} vs {student.shape[0]}); feed both networks the same examples in the same order.");
    }

    private static void CheckFinite(Tensor logits, string side, string lossName)
    {
        if (InputFinitenessChecks.Deferred) return;
        if (!isfinite(logits).all().item<bool>())
            throw new ArgumentException(
                $"{lossName}: the {side} logits contain NaN or infinite values; check the learning rate, the input scaling and the {side}'s weights.");
    }
}
