using Distill.Models;
using Distill.Models.BeatGan;

namespace Distill.Interop;

/// <summary>Documented key mappings between Distill's models and the PyTorch reference code they mirror.</summary>
public static class PyTorchLayouts
{
    /// <summary>The "ANN" of the CRD walkthrough (the project's seed) for an <see cref="Mlp"/> of the same widths.</summary>
    /// <remarks>
    /// The walkthrough's model is <c>Layer_List = ModuleList(Layer(...))</c>, each <c>Layer</c> holding
    /// <c>linear = Sequential(Linear, BatchNorm1d, LeakyReLU(0.2))</c>, and <c>classifier = Sequential(Linear, Sigmoid)</c>.
    /// The mapping, for block <c>i</c>:
    /// <code>
    /// blocks.i.linear.{weight,bias}                                    -> Layer_List.i.linear.0.{weight,bias}
    /// blocks.i.norm.{weight,bias,running_mean,running_var,num_batches_tracked} -> Layer_List.i.linear.1.{...}
    /// classifier.{weight,bias}                                         -> classifier.0.{weight,bias}
    /// </code>
    /// The walkthrough's Sigmoid has no parameters: a PyTorch model loading our file keeps it and outputs
    /// probabilities where our <see cref="Mlp"/> outputs logits.
    /// </remarks>
    public static StateDictLayout CrdWalkthroughAnn(Mlp mlp)
        => new("CRD walkthrough ANN", mlp.state_dict().Keys.Select(key => (key, SeedKey(key))));

    /// <summary>The authors' BeatGAN <c>Generator</c> for a <see cref="Models.BeatGan.BeatGanGenerator"/> of the same sizes: every key keeps its name.</summary>
    /// <remarks>
    /// Zhou et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019; the
    /// authors' repository (github.com/hi-bingo/BeatGAN), experiments/ecg/model.py, class <c>Generator</c>, holds
    /// <c>encoder1 = Encoder(...)</c> and <c>decoder = Decoder(...)</c> from experiments/ecg/network.py, each one
    /// <c>nn.Sequential</c> named <c>main</c>. Our generator names its submodules and layer lists the same way and keeps
    /// the Sequential indices, so the mapping is the identity:
    /// <code>
    /// encoder1.main.{0,2,5,8,11,14}.weight                                       Conv1d (no bias)
    /// encoder1.main.{3,6,9,12}.{weight,bias,running_mean,running_var,num_batches_tracked}   BatchNorm1d
    /// decoder.main.{0,3,6,9,12,15}.weight                                        ConvTranspose1d (no bias)
    /// decoder.main.{1,4,7,10,13}.{weight,bias,running_mean,running_var,num_batches_tracked} BatchNorm1d
    /// </code>
    /// LeakyReLU, ReLU and Tanh have no tensors. The authors' generator encoder reads <c>ndf</c> for its widths;
    /// ours reads <see cref="BeatGanOptions.GeneratorWidth"/>, so a file trained with ngf ≠ ndf is refused with shape
    /// mismatches on <c>encoder1.*</c> (the authors' default is ngf = ndf = 32). The key list was checked against the
    /// authors' classes written out in tools/reference/beatgan_interop.py.
    /// </remarks>
    public static StateDictLayout BeatGanGenerator(BeatGanGenerator generator)
        => new("BeatGAN generator (authors' Generator)", generator.state_dict().Keys.Select(key => (key, GeneratorKey(key))));

    /// <summary>The authors' BeatGAN <c>Discriminator</c> for a <see cref="Models.BeatGan.BeatGanDiscriminator"/> of the same sizes: every key keeps its name.</summary>
    /// <remarks>
    /// Zhou et al., IJCAI 2019; the authors' experiments/ecg/model.py, class <c>Discriminator</c>, takes the layers of an
    /// <c>Encoder</c>'s <c>main</c> (experiments/ecg/network.py): all but the last as <c>features</c>, the last Conv1d as
    /// <c>classifier</c> followed by a Sigmoid added under the name "Sigmoid". Our discriminator keeps those names and
    /// indices, so the mapping is the identity:
    /// <code>
    /// features.{0,2,5,8,11}.weight                                               Conv1d (no bias)
    /// features.{3,6,9,12}.{weight,bias,running_mean,running_var,num_batches_tracked}   BatchNorm1d
    /// classifier.0.weight                                                        last Conv1d (no bias)
    /// </code>
    /// The Sigmoid has no tensors: a file we write gives the authors' model probabilities, and our
    /// <see cref="Models.BeatGan.BeatGanDiscriminator.Probability"/> gives the same numbers from a file they wrote.
    /// The key list was checked against the authors' classes written out in tools/reference/beatgan_interop.py, and
    /// against their released experiments/ecg/model/beatgan_folder_0_D.pkl: in PyTorch's legacy format it is refused
    /// (see <see cref="PyTorchStateDict.Read"/>); re-saved once with PyTorch 1.13 it loads into a discriminator with
    /// the default <see cref="BeatGanOptions"/> and gives the authors' probabilities to within 1e-6.
    /// </remarks>
    public static StateDictLayout BeatGanDiscriminator(BeatGanDiscriminator discriminator)
        => new("BeatGAN discriminator (authors' Discriminator)", discriminator.state_dict().Keys.Select(key => (key, DiscriminatorKey(key))));

    private static string GeneratorKey(string key) => key.Split('.') switch
    {
        ["encoder1" or "decoder", "main", _, _] => key,
        _ => throw new InvalidOperationException($"The BeatGAN generator layout has no rule for the key '{key}'."),
    };

    private static string DiscriminatorKey(string key) => key.Split('.') switch
    {
        ["features", _, _] or ["classifier", "0", _] => key,
        _ => throw new InvalidOperationException($"The BeatGAN discriminator layout has no rule for the key '{key}'."),
    };

    private static string SeedKey(string key)
    {
        string[] parts = key.Split('.');
        return parts switch
        {
            ["blocks", var i, "linear", var tensor] => $"Layer_List.{i}.linear.0.{tensor}",
            ["blocks", var i, "norm", var tensor] => $"Layer_List.{i}.linear.1.{tensor}",
            ["classifier", var tensor] => $"classifier.0.{tensor}",
            _ => throw new InvalidOperationException($"The CRD walkthrough layout has no rule for the Mlp key '{key}'."),
        };
    }
}
