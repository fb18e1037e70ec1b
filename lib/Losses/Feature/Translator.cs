using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Distill.Losses.Feature;

/// <summary>Factor transfer's translator: maps a student feature to a factor comparable with the teacher's.</summary>
/// <remarks>
/// Kim, Park and Kwak, "Paraphrasing Complex Network: Network Compression via Factor Transfer", NeurIPS 2018, Section 3.2:
/// the translator is trained jointly with the student so that its output, the student factor F_S, matches the paraphraser's
/// teacher factor F_T. Layout as RepDistiller's <c>Translator</c>: three convolutions (kernel 3, padding 1), each followed by
/// batch normalisation and LeakyReLU(0.1), from C_s to C_s to the factor's channels; linear layers for [B, C] features.
/// </remarks>
public sealed class Translator : Module<Tensor, Tensor>
{
    private const double NegativeSlope = 0.1;
    private readonly Sequential encoder;

    /// <summary>Creates a translator from a student feature to a factor of the given width.</summary>
    /// <param name="studentChannels">Channels C of the student feature.</param>
    /// <param name="factorChannels">Channels of the teacher factor (<see cref="Paraphraser.FactorChannels"/>).</param>
    /// <param name="layout">Linear layers for [B, C] features, 1-D convolutions for [B, C, L]; must match the paraphraser's.</param>
    /// <param name="device">Where its parameters live; null keeps TorchSharp's default, the CPU. Builders pass the student's device.</param>
    public Translator(int studentChannels, int factorChannels, FactorTransferLayout layout, Device? device = null) : base(nameof(Translator))
    {
        if (studentChannels < 1 || factorChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(studentChannels),
                $"ft: translator widths must be positive (student {studentChannels}, factor {factorChannels}).");
        StudentChannels = studentChannels;
        FactorChannels = factorChannels;
        Layout = layout;
        int s = studentChannels, k = factorChannels;
        encoder = Sequential(
            ("layer1", Layer(s, s)), ("bn1", BatchNorm1d(s)), ("act1", LeakyReLU(NegativeSlope)),
            ("layer2", Layer(s, k)), ("bn2", BatchNorm1d(k)), ("act2", LeakyReLU(NegativeSlope)),
            ("layer3", Layer(k, k)), ("bn3", BatchNorm1d(k)), ("act3", LeakyReLU(NegativeSlope)));
        RegisterComponents();
        if (device is not null) this.to(device);
    }

    /// <summary>Channels of the student feature.</summary>
    public int StudentChannels { get; }

    /// <summary>Channels of the factor it produces.</summary>
    public int FactorChannels { get; }

    /// <summary>Linear or 1-D convolutional layers.</summary>
    public FactorTransferLayout Layout { get; }

    /// <summary>The student factor F_S, [B, factor channels] or [B, factor channels, L].</summary>
    /// <param name="student">Student feature [B, C] or [B, C, L], as the layout says.</param>
    public override Tensor forward(Tensor student)
    {
        FactorTransferLayouts.Check(student, Layout, StudentChannels, "student feature given to the translator");
        return encoder.call(student);
    }

    private Module<Tensor, Tensor> Layer(int input, int output) => Layout switch
    {
        FactorTransferLayout.Vector => Linear(input, output),
        FactorTransferLayout.Sequence => Conv1d(input, output, 3, padding: 1),
        _ => throw new ArgumentOutOfRangeException(nameof(Layout), Layout, "ft: unknown factor transfer layout."),
    };
}
