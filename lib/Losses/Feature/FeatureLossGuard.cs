using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Distill.Losses.Feature;

/// <summary>Input checks and layout helpers shared by the feature losses, with messages that name the fix.</summary>
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
        CheckRank(loss, Subject(pair, "student"), student);
        CheckRank(loss, Subject(pair, "teacher"), teacher);
        CheckBatch(loss, $"layers {pair}", student, teacher);
        if (sameRank && student.dim() != teacher.dim())
            throw new ArgumentException(
                $"{loss}: student {Shape(student)} and teacher {Shape(teacher)} for layers {pair} have different layouts; " +
                "this loss compares them position by position, so pair two [B, C] features or two [B, C, L] features.");
        CheckFinite(loss, Subject(pair, "student"), student);
        CheckFinite(loss, Subject(pair, "teacher"), teacher);
    }

    /// <summary>Checks that a feature is [B, C] or [B, C, L].</summary>
    /// <param name="loss">The loss's display name.</param>
    /// <param name="subject">Which feature this is, for example "the student feature for layers (0, 0)".</param>
    /// <param name="feature">The feature.</param>
    public static void CheckRank(string loss, string subject, Tensor feature)
    {
        if (feature.dim() is not (2 or 3))
            throw new ArgumentException(
                $"{loss}: {subject} has shape {Shape(feature)} (rank {feature.dim()}); feature losses take [B, C] or [B, C, L], " +
                "that is [B, C] (dense layers) or [B, C, L] (1-D convolutions). Reshape it or pick another layer.");
    }

    /// <summary>Checks that the student's and the teacher's features hold the same number of samples.</summary>
    /// <param name="loss">The loss's display name.</param>
    /// <param name="layers">Which layers the features came from, for example "layers (0, 0)".</param>
    /// <param name="student">The student's feature, rank at least 1.</param>
    /// <param name="teacher">The teacher's feature, rank at least 1.</param>
    public static void CheckBatch(string loss, string layers, Tensor student, Tensor teacher)
    {
        if (student.shape[0] != teacher.shape[0])
            throw new ArgumentException(
                $"{loss}: student and teacher batch sizes differ ({student.shape[0]} vs {teacher.shape[0]}) for {layers}: " +
                $"student {Shape(student)}, teacher {Shape(teacher)}. Feed both networks the same rows of the same batch.");
    }

    /// <summary>Checks that a feature holds no NaN or infinite value (one device-to-host read); skipped inside a trainer, which
    /// finds a NaN input through its term's value (<see cref="InputFinitenessChecks"/>).</summary>
    /// <param name="loss">The loss's display name.</param>
    /// <param name="subject">Which feature this is, for example "the student feature for layers (0, 0)".</param>
    /// <param name="feature">The feature.</param>
    public static void CheckFinite(string loss, string subject, Tensor feature)
    {
        if (InputFinitenessChecks.Deferred) return;
        if (!isfinite(feature).all().item<bool>())
            throw new ArgumentException(
                $"{loss}: {subject} ({Shape(feature)}) contains NaN or infinite values. " +
                "The network diverged or its input holds NaN: lower the learning rate or clean the input data.");
    }

    /// <summary>Checks that a feature has the channel count a learned part (regressor, connector) was built for.</summary>
    public static void CheckChannels(string loss, LayerPair pair, string side, Tensor feature, long expected)
    {
        if (feature.shape[1] != expected)
            throw new ArgumentException(
                $"{loss}: the {side} feature for layers {pair} is {Shape(feature)} with {feature.shape[1]} channels, " +
                $"but the loss was built for {expected}. Construct it with the channel counts of the layers it distils.");
    }

    /// <summary>Checks a pair whose student feature a kernel-1 map (regressor, connector) carries onto the teacher's, position by position.</summary>
    /// <remarks>Both features finite, in the same layout, with the map's channel counts and, for [B, C, L], the same length.</remarks>
    /// <param name="loss">The loss's display name.</param>
    /// <param name="pair">The layer pair the features came from.</param>
    /// <param name="student">The student's feature, the map's input.</param>
    /// <param name="teacher">The teacher's feature, compared with the map's output.</param>
    /// <param name="studentChannels">The map's input channels.</param>
    /// <param name="teacherChannels">The map's output channels.</param>
    /// <param name="part">What the map is called in the paper, for example "regressor".</param>
    public static void CheckPointwise(string loss, LayerPair pair, Tensor student, Tensor teacher,
        long studentChannels, long teacherChannels, string part)
    {
        Check(loss, pair, student, teacher, sameRank: true);
        CheckChannels(loss, pair, "student", student, studentChannels);
        CheckChannels(loss, pair, "teacher", teacher, teacherChannels);
        CheckSameLength(loss, pair, student, teacher,
            $"the kernel-1 {part} keeps the length, so pair layers with the same length or pool one of them first.");
    }

    /// <summary>Checks that two [B, C, L] features have the same length L; [B, C] features have no length and pass.</summary>
    /// <param name="loss">The loss's display name.</param>
    /// <param name="pair">The layer pair the features came from.</param>
    /// <param name="student">The student's feature.</param>
    /// <param name="teacher">The teacher's feature.</param>
    /// <param name="why">Why this loss needs equal lengths, and the fix.</param>
    public static void CheckSameLength(string loss, LayerPair pair, Tensor student, Tensor teacher, string why)
    {
        if (student.dim() == 3 && teacher.dim() == 3 && student.shape[2] != teacher.shape[2])
            throw new ArgumentException(
                $"{loss}: student length {student.shape[2]} differs from teacher length {teacher.shape[2]} for layers {pair} " +
                $"(student {Shape(student)}, teacher {Shape(teacher)}); {why}");
    }

    /// <summary>Names one side's feature of a layer pair in error messages: "the student feature for layers (0, 0)".</summary>
    public static string Subject(LayerPair pair, string side) => $"the {side} feature for layers {pair}";

    /// <summary>A [B, C, L] view of a [B, C] (read as L = 1) or [B, C, L] feature.</summary>
    public static Tensor AsSequence(Tensor feature) => feature.dim() == 2 ? feature.unsqueeze(-1) : feature;

    /// <summary>Average-pools the longer of two [B, C, L] features to the shorter one's length, as the reference codes do.</summary>
    public static (Tensor Student, Tensor Teacher) PoolToShorter(Tensor student, Tensor teacher)
    {
        long ls = student.shape[2], lt = teacher.shape[2];
        if (ls > lt) student = F.adaptive_avg_pool1d(student, lt);
        else if (lt > ls) teacher = F.adaptive_avg_pool1d(teacher, ls);
        return (student, teacher);
    }

    /// <summary>Flattens a [B, C] or [B, C, L] feature to [B, C * L], the vector the relational losses compare.</summary>
    public static Tensor Flatten(Tensor feature) => feature.reshape(feature.shape[0], -1);

    /// <summary>Formats a shape as [a, b, c].</summary>
    public static string Shape(Tensor tensor) => $"[{string.Join(", ", tensor.shape)}]";
}
