using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Models.BeatGan;

/// <summary>BeatGAN's weight initialisation, applied to every layer of a generator or discriminator.</summary>
/// <remarks>
/// Follows the authors' <c>weights_init</c> (network.py), not the DCGAN rule its comment keeps:
/// every (transposed) convolution weight is Xavier-normal (Glorot and Bengio, AISTATS 2010), std
/// sqrt(2 / (fan_in + fan_out)); every batch-norm scale is drawn from N(1, 0.02) and its shift set to 0.
/// Like the authors' code it leaves batch-norm running statistics alone, also when the trainer re-initialises
/// the discriminator.
/// </remarks>
public static class BeatGanInitialisation
{
    /// <summary>Re-draws the weights of every convolution and batch norm inside <paramref name="network"/>.</summary>
    public static void Apply(nn.Module network)
    {
        using var _ = no_grad();
        foreach (var layer in network.modules())
        {
            switch (layer)
            {
                case Conv1d conv:
                    nn.init.xavier_normal_(conv.weight!);
                    break;
                case ConvTranspose1d deconv:
                    nn.init.xavier_normal_(deconv.weight!);
                    break;
                case BatchNorm1d norm:
                    norm.weight!.normal_(1.0, 0.02);
                    norm.bias!.zero_();
                    break;
            }
        }
    }
}
