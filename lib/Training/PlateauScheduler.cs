namespace Distill.Training;

/// <summary>ReduceLROnPlateau in mode "max" with an absolute threshold and no cooldown, with its counters exposed so a
/// checkpoint can save and restore them.</summary>
/// <remarks>Follows PyTorch's <c>torch.optim.lr_scheduler.ReduceLROnPlateau.step</c>: an epoch improves when
/// <c>metric &gt; best + threshold</c>; after more than <c>patience</c> epochs without improvement the rate becomes
/// <c>max(lr · factor, min_lr)</c> (applied only when it changes by more than 1e-8) and the count restarts.
/// TorchSharp's scheduler keeps these counters private, so a resumed run could not continue its schedule.</remarks>
/// <param name="schedule">Factor, patience, threshold and floor.</param>
public sealed class PlateauScheduler(PlateauSchedule schedule)
{
    private const double MinimumChange = 1e-8; // PyTorch's eps

    /// <summary>Best metric seen so far (negative infinity before the first step).</summary>
    public double Best { get; private set; } = double.NegativeInfinity;

    /// <summary>Epochs since the last improvement or reduction.</summary>
    public int BadEpochs { get; private set; }

    /// <summary>Restores the counters from a checkpoint.</summary>
    public void Restore(double best, int badEpochs)
    {
        Best = best;
        BadEpochs = badEpochs;
    }

    /// <summary>Records one epoch's validation metric and returns the learning rate for the next epoch.</summary>
    public double Step(double metric, double learningRate)
    {
        if (metric > Best + schedule.Threshold)
        {
            Best = metric;
            BadEpochs = 0;
        }
        else BadEpochs++;
        if (BadEpochs <= schedule.Patience) return learningRate;
        BadEpochs = 0;
        double reduced = Math.Max(learningRate * schedule.Factor, schedule.MinLearningRate);
        return learningRate - reduced > MinimumChange ? reduced : learningRate;
    }
}
