using Distill.Models;
using static TorchSharp.torch;

namespace Distill.Experiments.OmittedClass;

/// <summary>Hinton et al.'s correction for a class the student never saw: raise that class's output bias.</summary>
/// <remarks>
/// Hinton, Vinyals &amp; Dean, "Distilling the Knowledge in a Neural Network", arXiv:1503.02531 (2015), Section 3: after
/// distillation on a transfer set without 3s, "most of the errors are caused by the fact that the learned bias for the 3
/// class is much too low"; they raise it by the amount "which optimizes overall performance on the test set". Here the
/// amount is chosen on the validation split instead, so that the test split stays unseen. A bias adds to its logit, so
/// the search shifts one logit column; <see cref="RaiseBias"/> writes the chosen shift into the network.
/// </remarks>
public static class BiasCorrection
{
    /// <summary>The shifts tried by default: 0 to 10 in steps of 0.25 (the paper's shift was 3.5).</summary>
    public static IReadOnlyList<double> DefaultShifts { get; } = Enumerable.Range(0, 41).Select(i => i * 0.25).ToArray();

    /// <summary>Logits [N, C] with <paramref name="shift"/> added to column <paramref name="classIndex"/> (the effect of
    /// raising that class's bias by <paramref name="shift"/>).</summary>
    public static Tensor Shift(Tensor logits, int classIndex, double shift)
    {
        CheckClass(logits, classIndex);
        var offset = zeros(logits.shape[1], dtype: logits.dtype, device: logits.device);
        offset[classIndex] = shift;
        return logits + offset;
    }

    /// <summary>Number of rows whose arg-max logit is not their target.</summary>
    public static long Errors(Tensor logits, Tensor targets)
    {
        using var scope = NewDisposeScope();
        return (logits.argmax(1) != targets).sum().item<long>();
    }

    /// <summary>The shift of <paramref name="shifts"/> with the fewest errors on (<paramref name="logits"/>,
    /// <paramref name="targets"/>); the smallest such shift on a tie.</summary>
    public static double BestShift(Tensor logits, Tensor targets, int classIndex, IReadOnlyList<double>? shifts = null)
    {
        shifts ??= DefaultShifts;
        if (shifts.Count == 0) throw new ArgumentException("No shifts to try: give at least one (e.g. 0).", nameof(shifts));
        if (logits.shape[0] != targets.shape[0])
            throw new ArgumentException($"logits and targets have different row counts ({logits.shape[0]} vs {targets.shape[0]}).");
        using var scope = NewDisposeScope();
        return shifts.OrderBy(Math.Abs).MinBy(s => Errors(Shift(logits, classIndex, s), targets));
    }

    /// <summary>Adds <paramref name="shift"/> to the output bias of class <paramref name="classIndex"/> in place.</summary>
    public static void RaiseBias(Mlp model, int classIndex, double shift)
    {
        ArgumentNullException.ThrowIfNull(model);
        var bias = model.named_parameters().Single(p => p.name == "classifier.bias").parameter;   // [C]
        if (classIndex < 0 || classIndex >= bias.shape[0])
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"The model has {bias.shape[0]} outputs.");
        using (no_grad()) bias[classIndex] += shift;
    }

    private static void CheckClass(Tensor logits, int classIndex)
    {
        if (logits.dim() != 2) throw new ArgumentException($"Expected logits [N, C]; got [{string.Join(", ", logits.shape)}].");
        if (classIndex < 0 || classIndex >= logits.shape[1])
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"The logits have {logits.shape[1]} classes.");
    }
}
