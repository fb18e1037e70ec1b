namespace Distill.Training.BeatGan;

/// <summary>How a BeatGAN generator and discriminator are trained, with the authors' defaults.</summary>
/// <param name="Epochs">Passes over the normal training beats (the authors' <c>niter</c>, 100).</param>
/// <param name="BatchSize">Beats per step (64). An incomplete last batch is dropped, as the authors' loader does.</param>
/// <param name="LearningRate">Adam learning rate of both networks (1e-4).</param>
/// <param name="Beta1">Adam β1 (0.5, the usual GAN choice).</param>
/// <param name="Beta2">Adam β2 (0.999).</param>
/// <param name="AdversarialWeight">w_adv, the weight of the feature-matching term in the generator loss (1).</param>
/// <param name="ReinitThreshold">The discriminator is re-initialised when its loss falls below this (5e-6).</param>
/// <param name="RestoreBest">After the last epoch, load the checkpoint with the best validation score into the networks.</param>
/// <param name="Seed">Seed of the shuffling of training beats each epoch (and of the validation batches).</param>
/// <param name="Validation">How the validation beats are scored to choose the kept epoch (the authors' training-mode batches
/// by default; see <see cref="BeatGanValidation"/>).</param>
/// <remarks>Zhou et al., "BeatGAN", IJCAI 2019, experimental setup, and the authors' options.py / model.py.</remarks>
public sealed record BeatGanTrainingOptions(
    int Epochs = 100,
    int BatchSize = 64,
    double LearningRate = 1e-4,
    double Beta1 = 0.5,
    double Beta2 = 0.999,
    double AdversarialWeight = 1.0,
    double ReinitThreshold = 5e-6,
    bool RestoreBest = true,
    int Seed = 0,
    BeatGanValidation Validation = BeatGanValidation.TrainingModeBatches)
{
    /// <summary>Throws when an option cannot train, naming it and the fix.</summary>
    public BeatGanTrainingOptions Validated()
    {
        if (Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Train for at least one epoch.");
        if (BatchSize < 2)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch norm needs at least 2 beats per batch; use 64 as the paper.");
        if (!(LearningRate > 0)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "The learning rate must be positive.");
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "Adam's beta1 must be in [0, 1).");
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "Adam's beta2 must be in [0, 1).");
        if (!(AdversarialWeight >= 0))
            throw new ArgumentOutOfRangeException(nameof(AdversarialWeight), AdversarialWeight, "w_adv must be zero or positive.");
        if (!Enum.IsDefined(Validation))
            throw new ArgumentOutOfRangeException(nameof(Validation), Validation, "Choose TrainingModeBatches (the authors') or EvaluationMode.");
        if (!(ReinitThreshold >= 0))
            throw new ArgumentOutOfRangeException(nameof(ReinitThreshold), ReinitThreshold, "The re-initialisation threshold must be zero (never) or positive.");
        return this;
    }

    /// <summary>Everything of the options that shapes a run's steps, in words, for a checkpoint's settings; the epoch count
    /// is left out, so a finished run can be extended with more epochs.</summary>
    public string Describe() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"batch {BatchSize}, Adam lr {LearningRate:R} betas ({Beta1:R}, {Beta2:R}), w_adv {AdversarialWeight:R}, " +
        $"D re-initialised below {ReinitThreshold:R}");
}
