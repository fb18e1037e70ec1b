namespace Distill.Training.BeatGan;

/// <summary>One epoch of BeatGAN training: mean losses over its steps and the validation score after it.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="DiscriminatorLoss">Mean discriminator loss (real + fake BCE).</param>
/// <param name="ReconstructionLoss">Mean reconstruction MSE of the generator.</param>
/// <param name="AdversarialLoss">Mean feature-matching MSE of the generator.</param>
/// <param name="ValidationScore">The validation metric (ROC AUC in the paper) of the anomaly scores after this epoch.</param>
/// <param name="Reinitialisations">How many times the discriminator was re-initialised during this epoch.</param>
/// <param name="IsBest">Whether this epoch set a new best validation score (and its weights became the checkpoint).</param>
/// <param name="Duration">Wall-clock time of the epoch, validation included.</param>
/// <param name="Metrics">What the caller measured after the epoch (for example test metrics of the current weights for a
/// learning curve), by name; null when nothing was measured.</param>
public sealed record BeatGanEpochSummary(
    int Epoch,
    double DiscriminatorLoss,
    double ReconstructionLoss,
    double AdversarialLoss,
    double ValidationScore,
    int Reinitialisations,
    bool IsBest,
    TimeSpan Duration,
    IReadOnlyDictionary<string, double>? Metrics = null);

/// <summary>A discriminator re-initialisation: where it happened and the loss that triggered it.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Batch">1-based batch within the epoch.</param>
/// <param name="DiscriminatorLoss">The discriminator loss that fell below the threshold.</param>
public sealed record BeatGanReinitialisation(int Epoch, int Batch, double DiscriminatorLoss);

/// <summary>Progress of a BeatGAN training run, reported after every step and once more when an epoch is validated.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs in the run.</param>
/// <param name="Batch">1-based batch within the epoch.</param>
/// <param name="Batches">Batches per epoch.</param>
/// <param name="Step">The losses of the step just taken.</param>
/// <param name="CompletedEpoch">Set on the report that closes an epoch (after validation); null on step reports.</param>
public sealed record BeatGanProgress(int Epoch, int Epochs, int Batch, int Batches, BeatGanStepLosses Step, BeatGanEpochSummary? CompletedEpoch);

/// <summary>What a BeatGAN training run produced.</summary>
/// <param name="History">One summary per epoch, in order.</param>
/// <param name="Reinitialisations">Every discriminator re-initialisation, in order.</param>
/// <param name="BestEpoch">The epoch with the highest validation score.</param>
/// <param name="BestValidationScore">That score.</param>
/// <param name="Best">The generator and discriminator weights after the best epoch, kept in memory.</param>
public sealed record BeatGanTrainingResult(
    IReadOnlyList<BeatGanEpochSummary> History,
    IReadOnlyList<BeatGanReinitialisation> Reinitialisations,
    int BestEpoch,
    double BestValidationScore,
    BeatGanCheckpoint Best);
