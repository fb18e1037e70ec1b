namespace Distill.Training.BeatGan;

/// <summary>How a BeatGAN student is trained: BeatGAN's own options plus the distillation switches.</summary>
/// <param name="Training">The adversarial training options (epochs, batch, Adam, w_adv, D re-initialisation, shuffling seed);
/// <see cref="BeatGanTrainingOptions.RestoreBest"/> is not used: the student trainer keeps the last epoch's networks and
/// never looks at labelled beats, so test scores stay untouched by model selection.</param>
/// <param name="AcceptGradientFreeTerms">Let a term whose value carries no gradient into the generator loss. Off by default
/// (such a term is a bug); on only to reproduce the lab notes' constant KL and show it changes nothing.</param>
/// <param name="CacheTeacherPasses">Compute the frozen teacher's pass on the training beats once in <c>Fit</c> and read it by
/// row (<see cref="Distillation.TeacherPassCache"/>); the results are bit-identical, off only to compare.</param>
public sealed record BeatGanStudentOptions(BeatGanTrainingOptions? Training = null, bool AcceptGradientFreeTerms = false,
                                           bool CacheTeacherPasses = true)
{
    /// <summary>The training options, defaulted and validated.</summary>
    public BeatGanTrainingOptions ValidatedTraining() => (Training ?? new BeatGanTrainingOptions()).Validated();
}
