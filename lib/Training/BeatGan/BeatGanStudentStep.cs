namespace Distill.Training.BeatGan;

/// <summary>The losses of one student step: BeatGAN's own losses and each distillation term (unweighted).</summary>
/// <param name="Losses">Discriminator BCE, reconstruction, adversarial feature matching; its Generator value is the
/// full generator objective including the weighted distillation terms.</param>
/// <param name="Terms">Each distillation term's unweighted value, by the loss's name.</param>
public sealed record BeatGanStudentStep(BeatGanStepLosses Losses, IReadOnlyDictionary<string, double> Terms);

/// <summary>One student epoch: means over its steps.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Discriminator">Mean discriminator loss (real + fake BCE).</param>
/// <param name="Reconstruction">Mean reconstruction MSE of the student generator.</param>
/// <param name="Terms">Mean unweighted value of each distillation term.</param>
/// <param name="Reinitialisations">Discriminator re-initialisations during the epoch.</param>
public sealed record BeatGanStudentEpoch(int Epoch, double Discriminator, double Reconstruction, IReadOnlyDictionary<string, double> Terms, int Reinitialisations);
