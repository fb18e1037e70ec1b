using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Training.BeatGan;

/// <summary>While in force, one training-mode pass updates every BatchNorm's running statistics as
/// <c>passes</c> passes over the same batch would.</summary>
/// <remarks>
/// BatchNorm's running mean r (and variance) follows r ← (1 − m) r + m b for a batch statistic b. Two passes over the same
/// batch give r ← (1 − m)² r + (1 − (1 − m)²) b, which is one update with momentum 1 − (1 − m)². BeatGAN's authors run the
/// generator twice on every training batch with the same weights (once in the discriminator's step, once in its own; Zhou
/// et al., IJCAI 2019, <c>model.py</c>), so the batch statistics of both passes are equal; our trainers make one pass and
/// use this scope, so the running statistics, and with them every evaluation-mode score, follow the authors' recursion
/// (equal up to float rounding), at one generator forward less per step.
/// </remarks>
internal sealed class RepeatedBatchNormUpdates : IDisposable
{
    private readonly List<(BatchNorm1d Norm, double? Momentum)> saved = [];

    private RepeatedBatchNormUpdates(nn.Module module, int passes)
    {
        foreach (var norm in module.modules().OfType<BatchNorm1d>())
        {
            saved.Add((norm, norm.momentum));
            if (norm.momentum is double m) norm.momentum = 1 - Math.Pow(1 - m, passes);
        }
    }

    /// <summary>Scales the momentum of every BatchNorm1d in <paramref name="module"/> until disposed.</summary>
    /// <param name="module">The network whose next training-mode pass stands for several.</param>
    /// <param name="passes">How many passes over the same batch one pass stands for (≥ 1).</param>
    public static RepeatedBatchNormUpdates Apply(nn.Module module, int passes)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentOutOfRangeException.ThrowIfLessThan(passes, 1);
        return new RepeatedBatchNormUpdates(module, passes);
    }

    /// <summary>Restores every momentum.</summary>
    public void Dispose()
    {
        foreach (var (norm, momentum) in saved) norm.momentum = momentum;
    }
}
