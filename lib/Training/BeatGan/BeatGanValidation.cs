namespace Distill.Training.BeatGan;

/// <summary>How a BeatGAN teacher scores its validation beats after each epoch, to choose the epoch it keeps.</summary>
/// <remarks>
/// Zhou et al., "BeatGAN", IJCAI 2019, select the epoch of best validation ROC AUC. Their <c>model.py</c> validates right
/// after an epoch's training without switching the generator to evaluation mode: BatchNorm normalises each validation
/// batch with its own statistics (the batches are drawn shuffled, 64 beats each, the last one smaller) and updates the
/// running statistics as it goes, so a beat's score depends on which beats share its batch. Their test, by contrast,
/// runs in evaluation mode. <see cref="TrainingModeBatches"/> does what their code does and is the faithful default;
/// <see cref="EvaluationMode"/> scores every beat on its own with the running statistics, as the test does.
/// </remarks>
public enum BeatGanValidation
{
    /// <summary>The authors' behaviour: the generator in training mode on shuffled batches of the training batch size,
    /// running statistics updated, no gradient.</summary>
    TrainingModeBatches,

    /// <summary>The generator in evaluation mode (running BatchNorm statistics), as at test time.</summary>
    EvaluationMode,
}
