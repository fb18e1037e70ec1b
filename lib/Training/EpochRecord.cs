namespace Distill.Training;

/// <summary>What one epoch did: reported as progress and kept in the history for charts.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Epochs">Maximum number of epochs of the run.</param>
/// <param name="TrainLoss">Mean total loss over the epoch's batches.</param>
/// <param name="TrainTerms">Mean of each named loss term (for distillation: "task" and every term), unweighted.</param>
/// <param name="Validation">Evaluation on the validation split after the epoch.</param>
/// <param name="LearningRate">Learning rate used during the epoch.</param>
/// <param name="IsBest">Whether this epoch set a new best validation metric (its weights are kept).</param>
/// <param name="Elapsed">Wall time since the start of training.</param>
public sealed record EpochRecord(int Epoch, int Epochs, double TrainLoss, IReadOnlyDictionary<string, double> TrainTerms,
                                 ClassifierEvaluation Validation, double LearningRate, bool IsBest, TimeSpan Elapsed)
{
    /// <inheritdoc />
    public override string ToString()
        => $"epoch {Epoch}/{Epochs}  loss {TrainLoss:F4}  val {Validation.PrimaryName} {Validation.Primary:F4}  " +
           $"val loss {Validation.Loss:F4}  lr {LearningRate:G3}{(IsBest ? "  *best" : "")}";
}

/// <summary>The outcome of a training run.</summary>
/// <param name="History">One record per epoch run.</param>
/// <param name="BestEpoch">Epoch whose weights the model holds after training.</param>
/// <param name="StoppedEarly">Whether early stopping ended the run before the epoch limit.</param>
public sealed record TrainingResult(IReadOnlyList<EpochRecord> History, int BestEpoch, bool StoppedEarly)
{
    /// <summary>Validation evaluation of the kept (best) epoch.</summary>
    public ClassifierEvaluation BestValidation => History[BestEpoch - 1].Validation;
}
