using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Distill.Models.BeatGan;

/// <summary>BeatGAN's discriminator: the encoder's five blocks and a last convolution to one real/fake logit.</summary>
/// <remarks>
/// Zhou et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019,
/// Section 3. The last block's features (ndf·16 channels, L/32 samples) are what the generator's adversarial
/// pairwise feature-matching term compares.
/// Deviation: the paper and the authors' code end in a Sigmoid and train with BCELoss; this network returns the
/// logit and the trainer uses BCE with logits, the same loss computed without log(0) clamping, so a discriminator
/// that has saturated still reports its true (tiny) loss to the re-initialisation test.
/// <see cref="Probability"/> gives the paper's sigmoid output.
/// Layer names follow the authors' model: the blocks in <c>features</c> (indices 0-13), the last convolution as
/// <c>classifier.0</c>. <see cref="ForwardFeatures"/> records every block while running each layer once; the lab
/// notes' variant rebuilt the network from the input for each of its six features.
/// </remarks>
public sealed class BeatGanDiscriminator : Module<Tensor, Tensor>, IFeatureModel
{
    private readonly ModuleList<Module<Tensor, Tensor>> features;
    private readonly ModuleList<Module<Tensor, Tensor>> classifier;
    private readonly BeatGanBlock[] blocks;

    /// <summary>Builds a discriminator with BeatGAN's initialisation on <paramref name="device"/>.</summary>
    /// <param name="options">Sizes; null for the paper's.</param>
    /// <param name="device">Where its parameters live; null keeps TorchSharp's default, the CPU. The application chooses (<see cref="Distill.Runtime.DistillDevice"/>).</param>
    public BeatGanDiscriminator(BeatGanOptions? options = null, Device? device = null) : base(nameof(BeatGanDiscriminator))
    {
        Options = (options ?? new BeatGanOptions()).Validated();
        blocks = BeatGanBlock.Encoder(Options.Channels, Options.DiscriminatorWidth);
        features = ModuleList(blocks.SelectMany(b => b.Layers()).ToArray());
        classifier = ModuleList<Module<Tensor, Tensor>>(
            Conv1d((long)Options.DiscriminatorWidth << (blocks.Length - 1), 1, Options.BottleneckLength, bias: false));
        RegisterComponents();
        ResetParameters();
        if (device is not null) this.to(device);
    }

    /// <summary>The sizes this discriminator was built with.</summary>
    public BeatGanOptions Options { get; }

    /// <summary>Re-draws every weight with BeatGAN's initialisation (what the trainer does when D wins too clearly).</summary>
    public void ResetParameters() => BeatGanInitialisation.Apply(this);

    /// <summary>Real/fake logits [B] for beats [B, nc, L].</summary>
    public override Tensor forward(Tensor beats)
    {
        BeatGanInput.Check(beats, Options.Channels, Options.SignalLength, nameof(BeatGanDiscriminator));
        return Classify(BeatGanBlock.ForwardAll(blocks, beats, null, null));
    }

    /// <summary>The paper's output: the probability [B] that each beat is real.</summary>
    public Tensor Probability(Tensor beats) => forward(beats).sigmoid();

    /// <summary>
    /// One pass: logits [B] as output, the five blocks' features after LeakyReLU and before it. The last feature,
    /// [B, 16·ndf, L/32], is the one the adversarial loss matches.
    /// </summary>
    public FeatureOutput ForwardFeatures(Tensor input)
    {
        BeatGanInput.Check(input, Options.Channels, Options.SignalLength, nameof(BeatGanDiscriminator));
        var featureList = new List<Tensor>(blocks.Length);
        var preActivations = new List<Tensor>(blocks.Length);
        var logits = Classify(BeatGanBlock.ForwardAll(blocks, input, preActivations, featureList));
        return new FeatureOutput(logits, featureList, preActivations);
    }

    private Tensor Classify(Tensor lastFeatures) => classifier[0].call(lastFeatures).flatten(); // [B, 1, 1] -> [B]
}
