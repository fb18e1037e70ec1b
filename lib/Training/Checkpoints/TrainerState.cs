namespace Distill.Training.Checkpoints;

/// <summary>The trainer's own state after an epoch: what, besides tensors, a resumed run needs to continue exactly.</summary>
/// <param name="FormatVersion">Checkpoint format version (<see cref="TrainingCheckpoint.FormatVersion"/>).</param>
/// <param name="Seed">Seed of the run; a resume with another seed is refused (the batch order would differ).</param>
/// <param name="Settings">The run's <see cref="CheckpointOptions.Settings"/>; a resume with other settings is refused.</param>
/// <param name="Epoch">Last completed epoch.</param>
/// <param name="BestEpoch">Epoch of the best validation metric so far (0 before any).</param>
/// <param name="BestMetric">Best validation metric so far.</param>
/// <param name="LearningRate">Learning rate for the next epoch.</param>
/// <param name="PlateauBest">The plateau scheduler's best metric.</param>
/// <param name="PlateauBadEpochs">The plateau scheduler's count of epochs without improvement.</param>
/// <param name="History">Every completed epoch's record.</param>
public sealed record TrainerState(int FormatVersion, int Seed, string Settings, int Epoch, int BestEpoch, double BestMetric, double LearningRate,
                                  double PlateauBest, int PlateauBadEpochs, IReadOnlyList<EpochRecord> History)
{
    /// <summary>Whether a run with <paramref name="options"/> has nothing left to train from this state: it reached the
    /// epoch limit or early stopping ended it. Resuming it only restores the best epoch's weights.</summary>
    public bool IsComplete(TrainingOptions options)
        => Epoch >= options.Epochs || (Epoch > 0 && Epoch - BestEpoch >= options.EarlyStoppingPatience);
}
