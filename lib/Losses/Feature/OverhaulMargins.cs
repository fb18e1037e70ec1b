using Distill.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Losses.Feature;

/// <summary>Per-channel margins of the Overhaul's margin ReLU, computed from the teacher's BatchNorm statistics.</summary>
/// <remarks>
/// Heo, Kim, Yun, Park, Kwak and Choi, "A Comprehensive Overhaul of Feature Distillation", ICCV 2019, Eq. 3. A
/// pre-ReLU response that follows a BatchNorm is modelled per channel as a Gaussian with mean <c>beta</c> (the BN
/// bias) and standard deviation <c>|gamma|</c> (the BN weight); the margin is the expectation of its negative part,
/// <c>m = E[x | x &lt; 0] = beta - |gamma| phi(beta/|gamma|) / Phi(-beta/|gamma|)</c>. As in the authors' code, when
/// <c>Phi(-beta/|gamma|) &lt;= 0.001</c> (almost never negative) the estimate is unstable and <c>-3|gamma|</c> is used.
/// </remarks>
public static class OverhaulMargins
{
    /// <summary>Probability of a negative response below which the authors' code falls back to <c>-3 sigma</c>.</summary>
    public const double NegativeProbabilityFloor = 0.001;

    /// <summary>Margins from the BatchNorm that precedes the teacher's ReLU at the distilled position.</summary>
    /// <param name="batchNorm">The teacher's BatchNorm (affine: it must have a weight and a bias).</param>
    /// <returns>A float32 tensor [C] on the BatchNorm's device, every entry negative.</returns>
    public static Tensor FromBatchNorm(BatchNorm1d batchNorm)
    {
        ArgumentNullException.ThrowIfNull(batchNorm);
        if (batchNorm.weight is null || batchNorm.bias is null)
            throw new ArgumentException(
                "OverhaulMargins: the BatchNorm has no affine weight and bias (affine: false); the margins need them as the " +
                "per-channel std and mean. Pass the statistics yourself with FromStatistics(std, mean).", nameof(batchNorm));
        return FromStatistics(batchNorm.weight, batchNorm.bias);
    }

    /// <summary>Margins from per-channel standard deviations and means (a BatchNorm's weight and bias), Eq. 3.</summary>
    /// <param name="std">Per-channel standard deviation [C] (its absolute value is used, as BN weights may be negative).</param>
    /// <param name="mean">Per-channel mean [C].</param>
    /// <returns>A float32 tensor [C] on the statistics' device.</returns>
    public static Tensor FromStatistics(Tensor std, Tensor mean)
    {
        ArgumentNullException.ThrowIfNull(std);
        ArgumentNullException.ThrowIfNull(mean);
        if (std.dim() != 1 || mean.dim() != 1 || std.shape[0] != mean.shape[0])
            throw new ArgumentException(
                $"OverhaulMargins: std {FeatureLossGuard.Shape(std)} and mean {FeatureLossGuard.Shape(mean)} must both be [C] " +
                "with one entry per teacher channel (a BatchNorm's weight and bias).");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Tensor sigma = std.detach().to(float64).abs();                 // [C]
        Tensor mu = mean.detach().to(float64);                          // [C]
        if (!isfinite(sigma).all().item<bool>() || !isfinite(mu).all().item<bool>())
            throw new ArgumentException("OverhaulMargins: the BatchNorm statistics contain NaN or infinite values; the teacher is not usable as trained.");
        if ((sigma == 0).any().item<bool>())
            throw new ArgumentException(
                "OverhaulMargins: a BatchNorm weight (the std of its channel) is 0, so that channel is constant and has no negative " +
                "part to estimate. Check that the teacher is trained, or pass FromStatistics(std, mean) with a non-zero std.");

        Tensor z = mu / sigma;
        Tensor negativeProbability = 0.5 * special.erfc(z / Math.Sqrt(2.0));           // Phi(-z)
        Tensor density = exp(-0.5 * z * z) / Math.Sqrt(2.0 * Math.PI);                 // phi(z)
        Tensor expectation = mu - sigma * density / negativeProbability;              // E[x | x < 0]
        Tensor margins = where(negativeProbability > NegativeProbabilityFloor, expectation, -3.0 * sigma);
        return margins.to(float32).MoveToOuterDisposeScope();
    }
}
