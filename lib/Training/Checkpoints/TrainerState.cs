namespace Distill.Training.Checkpoints;

/// <summary>What a <see cref="SupervisedTrainer"/> checkpoint holds besides tensors (<see cref="SupervisedTrainer.ReadCheckpoint"/>).</summary>
/// <param name="FormatVersion">Checkpoint format version (<see cref="Checkpoint.FormatVersion"/>).</param>
/// <param name="Settings">The run's <see cref="CheckpointOptions.Settings"/>; a resume with other settings is refused.</param>
/// <param name="Epoch">Last completed epoch.</param>
/// <param name="BestEpoch">Epoch of the best validation metric so far (0 before any).</param>
/// <param name="BestMetric">Best validation metric so far.</param>
/// <param name="LearningRate">Learning rate for the next epoch.</param>
/// <param name="PlateauBest">The plateau scheduler's best metric.</param>
/// <param name="PlateauBadEpochs">The plateau scheduler's count of epochs without improvement.</param>
/// <param name="History">Every completed epoch's record.</param>
public sealed record TrainerState(int FormatVersion, string Settings, int Epoch, int BestEpoch, double BestMetric, double LearningRate,
                                  double PlateauBest, int PlateauBadEpochs, IReadOnlyList<EpochRecord> History)
{
    /// <summary>Whether a run with <paramref name="options"/> has nothing left to train from this state: it reached the
    /// epoch limit or early stopping ended it. Resuming it only restores the best epoch's weights.</summary>
    public bool IsComplete(TrainingOptions options)
        => Epoch >= options.Epochs || (Epoch > 0 && Epoch - BestEpoch >= options.EarlyStoppingPatience);
}
