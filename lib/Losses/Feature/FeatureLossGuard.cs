using static TorchSharp.torch;

namespace Distill.Losses.Feature;

/// <summary>Input checks shared by the feature losses: rank, batch size and finiteness, with messages that name the fix.</summary>
internal static class FeatureLossGuard
{
    /// <summary>Checks one student/teacher feature pair: rank 2 ([B, C]) or 3 ([B, C, L]), equal batch sizes, finite values.</summary>
    /// <param name="loss">The loss's display name, for example "AttentionTransferLoss (at)".</param>
    /// <param name="pair">The layer pair the features came from.</param>
    /// <param name="student">The student's feature.</param>
    /// <param name="teacher">The teacher's feature.</param>
    /// <param name="sameRank">Whether the method needs both features in the same layout.</param>
    public static void Check(string loss, LayerPair pair, Tensor student, Tensor teacher, bool sameRank)
    {
        CheckRank(loss, pair, "student", student);
        CheckRank(loss, pair, "teacher", teacher);
        if (student.shape[0] != teacher.shape[0])
            throw new ArgumentException(
                $"{loss}: student and teacher batch sizes differ ({student.shape[0]} vs {teacher.shape[0]}) for layers {pair}: " +
                $"student {Shape(student)}, teacher {Shape(teacher)}. Feed both networks the same rows of the same batch.");
        if (sameRank && student.dim() != teacher.dim())
            throw new ArgumentException(
                $"{loss}: student {Shape(student)} and teacher {Shape(teacher)} for layers {pair} have different layouts; " +
                "this loss compares them position by position, so pair two [B, C] features or two [B, C, L] features.");
        CheckFinite(loss, pair, "student", student);
        CheckFinite(loss, pair, "teacher", teacher);
    }

    /// <summary>Checks that a feature has the channel count a learned part (regressor, connector) was built for.</summary>
    public static void CheckChannels(string loss, LayerPair pair, string side, Tensor feature, long expected)
    {
        if (feature.shape[1] != expected)
            throw new ArgumentException(
                $"{loss}: the {side} feature for layers {pair} is {Shape(feature)} with {feature.shape[1]} channels, " +
                $"but the loss was built for {expected}. Construct it with the channel counts of the layers it distils.");
    }

    /// <summary>Flattens a [B, C] or [B, C, L] feature to [B, C * L], the vector the relational losses compare.</summary>
    public static Tensor Flatten(Tensor feature) => feature.reshape(feature.shape[0], -1);

    /// <summary>Formats a shape as [a, b, c].</summary>
    public static string Shape(Tensor tensor) => $"[{string.Join(", ", tensor.shape)}]";

    private static void CheckRank(string loss, LayerPair pair, string side, Tensor feature)
    {
        if (feature.dim() is not (2 or 3))
            throw new ArgumentException(
                $"{loss}: the {side} feature for layers {pair} has shape {Shape(feature)} (rank {feature.dim()}); " +
                "feature losses take [B, C] (dense layers) or [B, C, L] (1-D convolutions). Reshape it or pick another layer.");
    }

    private static void CheckFinite(string loss, LayerPair pair, string side, Tensor feature)
    {
        if (!isfinite(feature).all().item<bool>())
            throw new ArgumentException(
                $"{loss}: the {side} feature for layers {pair} ({Shape(feature)}) contains NaN or infinite values. " +
                "The network diverged or its input holds NaN: lower the learning rate or clean the input data.");
    }
}
