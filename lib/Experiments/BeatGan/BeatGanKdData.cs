using Distill.Data.Ecg;
using static TorchSharp.torch;

namespace Distill.Experiments.BeatGan;

/// <summary>The beats of a BeatGAN distillation experiment: normal beats to train on, labelled validation and test beats.</summary>
/// <param name="Train">Normal beats to train on, [N, 1, 320] (lead 0, MLII, scaled per beat to [-1, 1]).</param>
/// <param name="Validation">Labelled beats for the teacher's epoch selection (and weight tuning), [V, 1, 320].</param>
/// <param name="ValidationLabels">0 normal, 1 abnormal, one per validation beat.</param>
/// <param name="Test">Held-out labelled beats, [T, 1, 320].</param>
/// <param name="TestLabels">0 normal, 1 abnormal, one per test beat.</param>
/// <param name="Description">Where the beats come from and how many of each kind, for logs and reports.</param>
/// <param name="TestClasses">The AAMI class of each test beat, for per-class recall; null when the source does not say
/// (the demo beats are only labelled normal or abnormal).</param>
/// <remarks>
/// Two sources. <see cref="Load"/>: the BeatGAN authors' 128 demo beats, real MIT-BIH beats cut and chosen by Zhou et al.
/// (BeatGAN, IJCAI 2019) for exactly this task, half of them abnormal, so AUC, AP and F1 are well defined and not
/// dominated by a handful of positives, and they train and score in seconds on a CPU; the split is fixed (first beats
/// of each file), so seeds vary only the networks and the shuffling. <see cref="FromBeats"/>: the paper's protocol on
/// segmented MIT-BIH records (<see cref="BeatGanFolds"/>: five folds of the normal beats, every abnormal beat tested,
/// 10% of both to validation).
/// </remarks>
public sealed record BeatGanKdData(Tensor Train, Tensor Validation, int[] ValidationLabels, Tensor Test, int[] TestLabels, string Description,
                                   IReadOnlyList<AamiClass>? TestClasses = null)
{
    /// <summary>Loads and splits the embedded demo beats: train 32 normal; validation 8 normal + 16 abnormal; test 24 normal + 48 abnormal.</summary>
    /// <param name="device">Where the beats live; null keeps TorchSharp's default, the CPU. The application chooses
    /// (<see cref="Distill.Runtime.DistillDevice"/>).</param>
    public static BeatGanKdData Load(Device? device = null)
    {
        var normal = BeatGanDemo.ToScaledTensor(BeatGanDemo.Normal(), device).narrow(1, 0, 1);     // [64, 1, 320]
        var abnormal = BeatGanDemo.ToScaledTensor(BeatGanDemo.Abnormal(), device).narrow(1, 0, 1); // [64, 1, 320]
        var train = normal.narrow(0, 0, 32);
        var validation = cat([normal.narrow(0, 32, 8), abnormal.narrow(0, 0, 16)], 0);
        var test = cat([normal.narrow(0, 40, 24), abnormal.narrow(0, 16, 48)], 0);
        return new BeatGanKdData(
            train.contiguous().DetachFromDisposeScope(), validation.contiguous().DetachFromDisposeScope(), Labels(8, 16),
            test.contiguous().DetachFromDisposeScope(), Labels(24, 48),
            "BeatGAN demo beats (embedded): train 32 normal; validation 8 normal + 16 abnormal; test 24 normal + 48 abnormal");
    }

    /// <summary>Fold <paramref name="fold"/> of BeatGAN's protocol over segmented MIT-BIH beats, lead 0.</summary>
    /// <param name="beats">Beats from <see cref="MitBihSource.Segment"/> (already scaled per beat to [-1, 1]).</param>
    /// <param name="fold">Which fifth of the normal beats is tested (0 … folds − 1).</param>
    /// <param name="source">Where the beats come from, for <see cref="Description"/>.</param>
    /// <param name="folds">Fold options (the paper's 5 folds and 10% validation by default).</param>
    /// <param name="maxTrainBeats">Train on at most this many normal beats (<see cref="BeatGanSplit.LimitTraining"/>: a
    /// random subset, the same one the fold export writes); null trains on all of them, as the paper does. Validation
    /// and test beats are never subsampled, so the reported metrics stay comparable.</param>
    /// <param name="device">Where the beats live; null keeps TorchSharp's default, the CPU.</param>
    public static BeatGanKdData FromBeats(IReadOnlyList<EcgBeat> beats, int fold, string source, BeatGanFoldOptions? folds = null, int? maxTrainBeats = null,
                                          Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(beats);
        var split = BeatGanFolds.Split(beats, fold, folds);
        var train = split.LimitTraining(maxTrainBeats).Train;
        if (split.Validation.All(b => !b.Class.IsAbnormal()) || split.Test.All(b => !b.Class.IsAbnormal()))
            throw new ArgumentException(
                $"Fold {fold} of these beats has no abnormal validation or test beat, so AUC is undefined; use records with S, V, F or Q beats.", nameof(beats));
        int foldCount = (folds ?? new BeatGanFoldOptions()).Folds;
        return new BeatGanKdData(
            EcgBeatTensors.Signals(train, [0], device), EcgBeatTensors.Signals(split.Validation, [0], device), AnomalyLabels(split.Validation),
            EcgBeatTensors.Signals(split.Test, [0], device), AnomalyLabels(split.Test),
            $"{source} Fold {fold} of {foldCount}: train {train.Count} normal{(train.Count < split.Train.Count ? $" (of {split.Train.Count})" : "")}; " +
            $"validation {Count(split.Validation)}; test {Count(split.Test)}",
            split.Test.Select(b => b.Class).ToArray());
    }

    private static int[] AnomalyLabels(IReadOnlyList<EcgBeat> beats) => beats.Select(b => b.Class.IsAbnormal() ? 1 : 0).ToArray();

    private static string Count(IReadOnlyList<EcgBeat> beats) =>
        string.Join(" + ", beats.GroupBy(b => b.Class).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));

    private static int[] Labels(int normal, int abnormal) => Enumerable.Repeat(0, normal).Concat(Enumerable.Repeat(1, abnormal)).ToArray();
}
