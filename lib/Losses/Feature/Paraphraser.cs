using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Distill.Losses.Feature;

/// <summary>Factor transfer's paraphraser: an autoencoder that compresses a teacher feature into its "factor".</summary>
/// <remarks>
/// Kim, Park and Kwak, "Paraphrasing Complex Network: Network Compression via Factor Transfer", NeurIPS 2018, Section 3.1:
/// the paraphraser is trained first, unsupervised, to reconstruct the teacher's feature (L2 reconstruction loss);
/// its encoder output, with C·k channels for the factor rate k (paper: 0.5), is the teacher factor the student imitates.
/// Layout follows the authors' code as restructured in RepDistiller's <c>Paraphraser</c> (without batch normalisation):
/// three convolutions (kernel 3, padding 1) with LeakyReLU(0.1) in the encoder and three transposed convolutions in the
/// decoder. For [B, C] features (<see cref="FactorTransferLayout.Vector"/>) linear layers take the convolutions' place.
/// </remarks>
public sealed class Paraphraser : Module<Tensor, Tensor>
{
    private const double NegativeSlope = 0.1;
    private readonly Sequential encoder;
    private readonly Sequential decoder;

    /// <summary>Creates a paraphraser for teacher features with the given channel count.</summary>
    /// <param name="channels">Channels C of the teacher feature.</param>
    /// <param name="layout">Linear layers for [B, C] features, 1-D convolutions for [B, C, L].</param>
    /// <param name="factorRate">k: the factor has ⌊C·k⌋ channels (paper: 0.5).</param>
    /// <param name="device">Where its parameters live; null keeps TorchSharp's default, the CPU. Builders pass the student's device.</param>
    public Paraphraser(int channels, FactorTransferLayout layout, double factorRate = 0.5, Device? device = null) : base(nameof(Paraphraser))
    {
        FactorChannels = (int)(channels * factorRate);
        if (channels < 1 || FactorChannels < 1)
            throw new ArgumentOutOfRangeException(nameof(factorRate),
                $"ft: a paraphraser of {channels} channels with factor rate {factorRate} has {FactorChannels} factor channels; both must be at least 1.");
        Channels = channels;
        Layout = layout;
        int k = FactorChannels;
        encoder = Sequential(
            ("layer1", Layer(channels, channels, transposed: false)), ("act1", LeakyReLU(NegativeSlope)),
            ("layer2", Layer(channels, k, transposed: false)), ("act2", LeakyReLU(NegativeSlope)),
            ("layer3", Layer(k, k, transposed: false)), ("act3", LeakyReLU(NegativeSlope)));
        decoder = Sequential(
            ("layer1", Layer(k, k, transposed: true)), ("act1", LeakyReLU(NegativeSlope)),
            ("layer2", Layer(k, channels, transposed: true)), ("act2", LeakyReLU(NegativeSlope)),
            ("layer3", Layer(channels, channels, transposed: true)), ("act3", LeakyReLU(NegativeSlope)));
        RegisterComponents();
        if (device is not null) this.to(device);
    }

    /// <summary>Channels of the teacher feature.</summary>
    public int Channels { get; }

    /// <summary>Channels of the factor (⌊C·k⌋).</summary>
    public int FactorChannels { get; }

    /// <summary>Linear or 1-D convolutional layers.</summary>
    public FactorTransferLayout Layout { get; }

    /// <summary>The teacher factor F_T: the encoder output, [B, C·k] or [B, C·k, L].</summary>
    /// <param name="teacher">Teacher feature [B, C] or [B, C, L], as the layout says.</param>
    public Tensor Encode(Tensor teacher) => encoder.call(Checked(teacher));

    /// <summary>The reconstruction of the teacher feature from its factor.</summary>
    /// <param name="teacher">Teacher feature [B, C] or [B, C, L], as the layout says.</param>
    public override Tensor forward(Tensor teacher) => decoder.call(Encode(teacher));

    /// <summary>Trains the paraphraser to reconstruct teacher features (mean squared error, SGD with momentum), as FT's first stage.</summary>
    /// <param name="teacherFeatures">Teacher features [N, C] or [N, C, L] (detached), used as one full batch per step.</param>
    /// <param name="steps">Number of optimisation steps.</param>
    /// <param name="learningRate">SGD learning rate (RepDistiller's FT initialisation uses 0.01).</param>
    /// <param name="momentum">SGD momentum (RepDistiller: 0.9).</param>
    /// <returns>The reconstruction loss before each step.</returns>
    public IReadOnlyList<double> Pretrain(Tensor teacherFeatures, int steps, double learningRate = 0.01, double momentum = 0.9)
    {
        if (steps < 1)
            throw new ArgumentOutOfRangeException(nameof(steps), $"ft: paraphraser pretraining needs at least one step (got {steps}).");
        var target = Checked(teacherFeatures.detach());
        foreach (var parameter in parameters()) parameter.requires_grad = true;
        train();
        using var optimizer = optim.SGD(parameters(), learningRate, momentum);
        var history = new List<double>(steps);
        for (int step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var loss = functional.mse_loss(forward(target), target);
            loss.backward();
            optimizer.step();
            history.Add(loss.item<float>());
        }
        eval();
        return history;
    }

    private Module<Tensor, Tensor> Layer(int input, int output, bool transposed) => Layout switch
    {
        FactorTransferLayout.Vector => Linear(input, output),
        FactorTransferLayout.Sequence when transposed => ConvTranspose1d(input, output, 3, stride: 1, padding: 1),
        FactorTransferLayout.Sequence => Conv1d(input, output, 3, padding: 1),
        _ => throw new ArgumentOutOfRangeException(nameof(Layout), Layout, "ft: unknown factor transfer layout."),
    };

    private Tensor Checked(Tensor teacher)
    {
        FactorTransferLayouts.Check(teacher, Layout, Channels, "teacher feature given to the paraphraser");
        return teacher;
    }
}
