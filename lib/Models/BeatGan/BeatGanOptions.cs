namespace Distill.Models.BeatGan;

/// <summary>Sizes of a BeatGAN generator and discriminator, with the paper's defaults.</summary>
/// <param name="Channels">ECG leads per beat (<c>nc</c>); BeatGAN trains on one lead (MLII).</param>
/// <param name="LatentSize">Length of the latent code (<c>nz</c>).</param>
/// <param name="GeneratorWidth">Channels of the generator's first encoder block and last decoder block (<c>ngf</c>).</param>
/// <param name="DiscriminatorWidth">Channels of the discriminator's first block (<c>ndf</c>).</param>
/// <param name="SignalLength">Samples per beat; five stride-2 blocks halve it to <c>SignalLength / 32</c>, which the last
/// convolution's kernel covers (320 samples give the paper's kernel of 10).</param>
/// <remarks>
/// Zhou, Liu, Hooi, Cheng, Ye, "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series",
/// IJCAI 2019, Section 3 and the authors' options.py (nz 50, ngf = ndf = 32, isize 320, nc 1).
/// Deviation: the authors' generator encoder reads <c>ndf</c> for its widths (their Encoder class serves both
/// networks); here the generator uses <see cref="GeneratorWidth"/> throughout, so a student generator can be narrowed
/// on its own. With the defaults (ngf = ndf) both read the same.
/// </remarks>
public sealed record BeatGanOptions(
    int Channels = 1,
    int LatentSize = 50,
    int GeneratorWidth = 32,
    int DiscriminatorWidth = 32,
    int SignalLength = 320)
{
    /// <summary>Number of stride-2 blocks between the input and the last convolution.</summary>
    public const int DownsamplingBlocks = 5;

    /// <summary>Kernel of the encoder's last convolution (and the decoder's first): the length left after the blocks.</summary>
    public int BottleneckLength => SignalLength >> DownsamplingBlocks;

    /// <summary>Throws when a size cannot build the network, naming the size and the fix.</summary>
    public BeatGanOptions Validated()
    {
        Positive(Channels, nameof(Channels));
        Positive(LatentSize, nameof(LatentSize));
        Positive(GeneratorWidth, nameof(GeneratorWidth));
        Positive(DiscriminatorWidth, nameof(DiscriminatorWidth));
        Positive(SignalLength, nameof(SignalLength));
        if (SignalLength % (1 << DownsamplingBlocks) != 0)
            throw new ArgumentException(
                $"{nameof(SignalLength)} = {SignalLength} is not a multiple of 32: BeatGAN halves the signal five times. " +
                "Use 320 (the paper's window of 140 + 180 samples at 360 Hz) or another multiple of 32.");
        return this;
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
    }
}
