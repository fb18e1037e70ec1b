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

    /// <summary>The name of <see cref="DiscriminatorReal"/> among a step's values.</summary>
    public const string DiscriminatorRealTerm = "d_real";

    /// <summary>The name of <see cref="DiscriminatorFake"/> among a step's values.</summary>
    public const string DiscriminatorFakeTerm = "d_fake";

    /// <summary>The name of <see cref="Discriminator"/> among a step's values.</summary>
    public const string DiscriminatorTerm = "discriminator";

    /// <summary>The name of <see cref="Reconstruction"/> among a step's values.</summary>
    public const string ReconstructionTerm = "reconstruction";

    /// <summary>The name of <see cref="Adversarial"/> among a step's values.</summary>
    public const string AdversarialTerm = "adversarial";

    /// <summary>The names of a step's own values, which distillation terms may not take.</summary>
    public static readonly string[] Names = [DiscriminatorRealTerm, DiscriminatorFakeTerm, DiscriminatorTerm, ReconstructionTerm, AdversarialTerm];

    /// <summary>The step's values for <see cref="Trainer"/>: the generator's loss as the total, and every part by name, with
    /// the distillation <paramref name="terms"/> of a student step.</summary>
    public StepValues Values(IReadOnlyDictionary<string, double>? terms = null)
    {
        var named = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            [DiscriminatorRealTerm] = DiscriminatorReal, [DiscriminatorFakeTerm] = DiscriminatorFake, [DiscriminatorTerm] = Discriminator,
            [ReconstructionTerm] = Reconstruction, [AdversarialTerm] = Adversarial,
        };
        foreach (var (name, value) in terms ?? new Dictionary<string, double>()) named[name] = value;
        return new StepValues(Generator, named);
    }
}
