using Distill.Models.BeatGan;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Distill.Training.BeatGan;

/// <summary>BeatGAN's two adversarial objectives, shared by the teacher's and the student's trainers.</summary>
/// <remarks>Zhou et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019,
/// Sec. 3: the discriminator separates real beats from reconstructions (BCE); the generator minimises the reconstruction
/// error plus <c>w_adv</c> times the distance between the discriminator's last features of its reconstruction and of the
/// real beat (feature matching). The discriminator returns logits here, so BCE is computed on logits.</remarks>
internal static class BeatGanAdversarialLosses
{
    /// <summary>BCE of real beats as real and of their reconstructions as fake.</summary>
    /// <param name="discriminator">D, in training mode.</param>
    /// <param name="reconstruction">G(x), detached from the generator's graph [B, nc, L].</param>
    /// <param name="x">The real beats [B, nc, L].</param>
    /// <returns>The two errors; their sum is what the discriminator minimises.</returns>
    public static (Tensor Real, Tensor Fake) Discriminator(BeatGanDiscriminator discriminator, Tensor reconstruction, Tensor x)
    {
        var realLogits = discriminator.call(x); // [B]
        var fakeLogits = discriminator.call(reconstruction);
        return (F.binary_cross_entropy_with_logits(realLogits, ones_like(realLogits)),
                F.binary_cross_entropy_with_logits(fakeLogits, zeros_like(fakeLogits)));
    }

    /// <summary>One discriminator update on beats x against their reconstructions; returns the two BCE values (detached scalars,
    /// read by the caller with the step's other losses in one transfer).</summary>
    /// <remarks>The reconstruction is the one the generator's own update then uses: G's weights do not change in between,
    /// so the authors' second generator pass of the same batch would give the same tensor. It is detached here, so no
    /// gradient reaches G. Runs in its own dispose scope, so D's activations are freed before the generator update.</remarks>
    public static (Tensor Real, Tensor Fake) UpdateDiscriminator(optim.Optimizer optimizer, BeatGanDiscriminator discriminator,
                                                                 Tensor reconstruction, Tensor x)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var (errorReal, errorFake) = Discriminator(discriminator, reconstruction.detach(), x);
        (errorReal + errorFake).backward();
        optimizer.step();
        return (errorReal.detach().MoveToOuterDisposeScope(), errorFake.detach().MoveToOuterDisposeScope());
    }

    /// <summary>Reconstruction MSE and feature-matching MSE of a reconstruction, with the discriminator's weights frozen
    /// while the graph is built so the generator's backward pass leaves them without gradient.</summary>
    /// <remarks>The caller back-propagates inside <paramref name="backward"/>, before the discriminator is unfrozen.</remarks>
    public static (Tensor Reconstruction, Tensor Adversarial) Generator(BeatGanDiscriminator discriminator, Tensor reconstruction, Tensor x,
                                                                      Action<Tensor, Tensor> backward)
    {
        SetTrainable(discriminator, false);
        try
        {
            var fakeFeatures = discriminator.ForwardFeatures(reconstruction).Features[^1]; // [B, 16 ndf, L/32]
            Tensor realFeatures;
            using (no_grad()) realFeatures = discriminator.ForwardFeatures(x).Features[^1];
            var reconstructionError = F.mse_loss(reconstruction, x);
            var adversarialError = F.mse_loss(fakeFeatures, realFeatures);
            backward(reconstructionError, adversarialError);
            return (reconstructionError, adversarialError);
        }
        finally
        {
            SetTrainable(discriminator, true);
        }
    }

    private static void SetTrainable(nn.Module module, bool trainable)
    {
        foreach (var p in module.parameters()) p.requires_grad = trainable;
    }
}
