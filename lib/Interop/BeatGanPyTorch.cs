using Distill.Models.BeatGan;
using static TorchSharp.torch;

namespace Distill.Interop;

/// <summary>Loads a BeatGAN generator or discriminator that the authors' PyTorch code trained, in one call.</summary>
/// <remarks>
/// Zhou et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019. The
/// authors' code saves <c>torch.save(G.state_dict(), ...)</c> and <c>torch.save(D.state_dict(), ...)</c>
/// (experiments/ecg/network.py, <c>save_weight_GD</c>); these methods build our network with
/// the given options, copy every weight and batch-norm buffer from such a file through
/// <see cref="PyTorchLayouts.BeatGanGenerator"/> or <see cref="PyTorchLayouts.BeatGanDiscriminator"/>, and return
/// it in eval mode, ready to serve as a distillation teacher (the options must be the ones the file was trained
/// with: the paper's defaults are the authors' defaults).
/// <code>
/// // In Python (PyTorch 1.6 or later), after training with the authors' code: torch.save(model.G.state_dict(), "beatgan_G.pt")
/// var teacher = BeatGanPyTorch.LoadGenerator("beatgan_G.pt", new BeatGanOptions());
/// var student = new BeatGanGenerator(new BeatGanOptions(GeneratorWidth: 8));
/// // Back to PyTorch: student.SavePyTorch("student_G.pt", PyTorchLayouts.BeatGanGenerator(student));
/// </code>
/// </remarks>
public static class BeatGanPyTorch
{
    /// <summary>A generator holding the tensors of the authors' <c>G.state_dict()</c> file, in eval mode.</summary>
    /// <param name="path">A file written by <c>torch.save(G.state_dict(), path)</c> (zip format, PyTorch 1.6 or later).</param>
    /// <param name="options">The sizes the file was trained with; null for the paper's defaults.</param>
    /// <exception cref="StateDictMismatchException">The file does not fit a generator of these sizes (every key listed).</exception>
    /// <exception cref="InvalidDataException">The file is not a readable state_dict, or is in the legacy format.</exception>
    /// <param name="device">Where the generator lives; null for the CPU.</param>
    public static BeatGanGenerator LoadGenerator(string path, BeatGanOptions? options = null, Device? device = null)
    {
        var generator = new BeatGanGenerator(options, device);
        return Loaded(generator, path, PyTorchLayouts.BeatGanGenerator(generator));
    }

    /// <summary>A discriminator holding the tensors of the authors' <c>D.state_dict()</c> file, in eval mode.</summary>
    /// <param name="path">A file written by <c>torch.save(D.state_dict(), path)</c> (zip format, PyTorch 1.6 or later).</param>
    /// <param name="options">The sizes the file was trained with; null for the paper's defaults.</param>
    /// <exception cref="StateDictMismatchException">The file does not fit a discriminator of these sizes (every key listed).</exception>
    /// <exception cref="InvalidDataException">The file is not a readable state_dict, or is in the legacy format.</exception>
    /// <param name="device">Where the discriminator lives; null for the CPU.</param>
    public static BeatGanDiscriminator LoadDiscriminator(string path, BeatGanOptions? options = null, Device? device = null)
    {
        var discriminator = new BeatGanDiscriminator(options, device);
        return Loaded(discriminator, path, PyTorchLayouts.BeatGanDiscriminator(discriminator));
    }

    private static T Loaded<T>(T network, string path, StateDictLayout layout) where T : nn.Module
    {
        try
        {
            network.LoadPyTorch(path, layout);
        }
        catch
        {
            network.Dispose();
            throw;
        }
        network.eval();
        return network;
    }
}
