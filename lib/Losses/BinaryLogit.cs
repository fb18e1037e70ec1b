using static TorchSharp.torch;

namespace Distill.Losses;

/// <summary>The one place that reads a binary classifier's single logit <c>z</c> as two classes: class 0 the negative label,
/// class 1 the positive one.</summary>
/// <remarks>
/// Hinton, Vinyals, Dean, "Distilling the Knowledge in a Neural Network", NIPS Deep Learning Workshop 2015, Eq. 1
/// (<c>q_i = exp(z_i / T) / Σ_j exp(z_j / T)</c>) applied to the two class logits <c>[0, z]</c>: the softened probabilities
/// are <c>[1 − σ(z / T), σ(z / T)]</c>, the Bernoulli distribution <c>p = σ(z)</c> defines at <c>T = 1</c>. The positive class
/// is column 1, so a loss that masks the target class by the label (DKD's TCKD) picks <c>σ(z)</c> for label 1. The
/// log-probabilities are computed with log-sigmoid, <c>log(1 − σ(x)) = log σ(−x)</c>, so confident logits never give
/// <c>log 0</c>.
/// </remarks>
public static class BinaryLogit
{
    /// <summary>Checks that <paramref name="logits"/> holds one floating-point logit per example, <c>[B]</c> or <c>[B, 1]</c>.</summary>
    /// <param name="logits">A network's output.</param>
    /// <param name="side">Whose output it is (<c>"student"</c>, <c>"teacher"</c>), for the message.</param>
    /// <param name="lossName">The loss that reads it, for the message.</param>
    public static void Check(Tensor logits, string side, string lossName)
    {
        ArgumentNullException.ThrowIfNull(logits);
        if (!(logits.dim() == 1 || (logits.dim() == 2 && logits.shape[1] == 1)))
            throw new ArgumentException(
                $"{lossName}: the {side} output must be one logit per example, [batch] or [batch, 1], got [{string.Join(", ", logits.shape)}]; " +
                "use the multi-class loss directly for outputs with one logit per class, [batch, classes].");
        if (!logits.is_floating_point())
            throw new ArgumentException($"{lossName}: the {side} logits must be floating point, got {logits.dtype}.");
    }

    /// <summary>The two class logits <c>[0, z]</c>, <c>[B, 2]</c>, of single logits <c>z</c> shaped <c>[B]</c> or <c>[B, 1]</c>.</summary>
    public static Tensor TwoClassLogits(Tensor logits)
    {
        var z = logits.reshape(-1, 1);        // [B, 1]
        return cat([zeros_like(z), z], 1);    // [B, 2]
    }

    /// <summary>The two-class log-probabilities at temperature <paramref name="temperature"/>,
    /// <c>[log σ(−z / T), log σ(z / T)] = log_softmax([0, z / T])</c>, <c>[B, 2]</c>.</summary>
    public static Tensor TwoClassLogProbabilities(Tensor logits, double temperature)
    {
        var z = logits.reshape(-1) / temperature;                                            // [B]
        return stack([nn.functional.logsigmoid(-z), nn.functional.logsigmoid(z)], 1);       // [B, 2]
    }
}
