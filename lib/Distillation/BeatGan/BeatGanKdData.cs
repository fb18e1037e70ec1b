using Distill.Data.Ecg;
using static TorchSharp.torch;

namespace Distill.Distillation.BeatGan;

/// <summary>The split of the BeatGAN authors' demo beats used by the distillation experiments.</summary>
/// <param name="Train">Normal beats to train on, [32, 1, 320].</param>
/// <param name="Validation">Labelled beats for the teacher's epoch selection, 8 normal then 16 abnormal, [24, 1, 320].</param>
/// <param name="ValidationLabels">0 normal, 1 abnormal, one per validation beat.</param>
/// <param name="Test">Held-out labelled beats, 24 normal then 48 abnormal, [72, 1, 320].</param>
/// <param name="TestLabels">0 normal, 1 abnormal, one per test beat.</param>
/// <remarks>
/// Why these beats: they are real MIT-BIH beats cut and chosen by Zhou et al. (BeatGAN, IJCAI 2019) for exactly this task,
/// half of them abnormal, so AUC, AP and F1 are well defined and not dominated by a handful of positives (record 100
/// holds 33 APB and 1 PVC against ~2,200 normal beats), and 128 beats train and score in seconds on a CPU. The
/// synthetic generator would give unlimited beats but its abnormal morphology is ours, not the data's. Lead 0 (MLII),
/// scaled per beat to [-1, 1] as the authors' loader does. The split is fixed (first beats of each file), so seeds
/// vary only the networks and the shuffling.
/// </remarks>
public sealed record BeatGanKdData(Tensor Train, Tensor Validation, int[] ValidationLabels, Tensor Test, int[] TestLabels)
{
    /// <summary>Loads and splits the embedded demo beats.</summary>
    public static BeatGanKdData Load()
    {
        var normal = BeatGanDemo.ToScaledTensor(BeatGanDemo.Normal()).narrow(1, 0, 1);     // [64, 1, 320]
        var abnormal = BeatGanDemo.ToScaledTensor(BeatGanDemo.Abnormal()).narrow(1, 0, 1); // [64, 1, 320]
        var train = normal.narrow(0, 0, 32);
        var validation = cat([normal.narrow(0, 32, 8), abnormal.narrow(0, 0, 16)], 0);
        var test = cat([normal.narrow(0, 40, 24), abnormal.narrow(0, 16, 48)], 0);
        return new BeatGanKdData(
            train.contiguous().DetachFromDisposeScope(), validation.contiguous().DetachFromDisposeScope(), Labels(8, 16),
            test.contiguous().DetachFromDisposeScope(), Labels(24, 48));
    }

    private static int[] Labels(int normal, int abnormal) => Enumerable.Repeat(0, normal).Concat(Enumerable.Repeat(1, abnormal)).ToArray();
}
