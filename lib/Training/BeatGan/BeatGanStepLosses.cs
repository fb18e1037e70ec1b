namespace Distill.Training.BeatGan;

/// <summary>The losses of one BeatGAN training step (one discriminator update, then one generator update).</summary>
/// <param name="DiscriminatorReal">BCE of the discriminator on real beats (target 1).</param>
/// <param name="DiscriminatorFake">BCE of the discriminator on reconstructions (target 0).</param>
/// <param name="Reconstruction">Generator term ||x − G(x)||² (mean squared error), the paper's reconstruction loss.</param>
/// <param name="Adversarial">Generator term ||f_D(x) − f_D(G(x))||² on the discriminator's last features, the paper's pairwise feature-matching loss.</param>
/// <param name="Generator">The generator's loss: Reconstruction + w_adv · Adversarial.</param>
/// <param name="DiscriminatorReinitialised">Whether this step's discriminator loss fell below the threshold and D was re-drawn.</param>
public sealed record BeatGanStepLosses(
    double DiscriminatorReal,
    double DiscriminatorFake,
    double Reconstruction,
    double Adversarial,
    double Generator,
    bool DiscriminatorReinitialised)
{
    /// <summary>The discriminator's loss: real plus fake BCE.</summary>
    public double Discriminator => DiscriminatorReal + DiscriminatorFake;

    /// <summary>Throws <see cref="NonFiniteLossException"/> naming the epoch, the batch and every loss when any of them, or of
    /// the distillation <paramref name="terms"/>, is NaN or infinite: the networks' weights are then already corrupt.</summary>
    /// <param name="epoch">1-based epoch.</param>
    /// <param name="batch">1-based batch within the epoch.</param>
    /// <param name="terms">Distillation terms of a student step (unweighted), if any.</param>
    /// <param name="kept">What was saved (the last file checkpoint), for the message; null when training writes none.</param>
    public void ThrowIfNotFinite(int epoch, int batch, IReadOnlyDictionary<string, double>? terms = null, string? kept = null)
    {
        var named = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["d_real"] = DiscriminatorReal, ["d_fake"] = DiscriminatorFake, ["reconstruction"] = Reconstruction, ["adversarial"] = Adversarial,
        };
        foreach (var (name, value) in terms ?? new Dictionary<string, double>()) named[name] = value;
        if (double.IsFinite(Generator) && named.Values.All(double.IsFinite)) return;
        throw new NonFiniteLossException(epoch, batch, Generator, named,
            kept ?? "BeatGAN training writes no file checkpoint, so nothing was saved; the networks in memory hold non-finite weights.");
    }
}
