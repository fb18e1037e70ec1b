using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.Crd;

/// <summary>L_p normalisation of each row: <c>x / (Σ_j x_j^p)^(1/p)</c>, L2 (p = 2) by default.</summary>
/// <remarks>
/// Tian, Krishnan &amp; Isola, "Contrastive Representation Distillation", ICLR 2020, Sec. 3.2: the critic's
/// embeddings g^S, g^T are L2-normalised so that their dot product is a cosine similarity bounded by 1.
/// Written exactly as RepDistiller's <c>Normalize</c> (power, sum, root, divide) so that gradients match
/// the reference to the last bits; there is no epsilon, so an all-zero row gives NaN, as in the reference.
/// </remarks>
public sealed class Normalize : nn.Module<Tensor, Tensor>
{
    private readonly double power;

    /// <summary>Creates the normalisation with exponent <paramref name="power"/> (2 for the L2 norm CRD uses).</summary>
    public Normalize(double power = 2) : base(nameof(Normalize))
    {
        if (!(power > 0) || double.IsInfinity(power))
            throw new ArgumentOutOfRangeException(nameof(power), power, "The norm's power must be a positive finite number (CRD uses 2).");
        this.power = power;
    }

    /// <summary>Normalises each row of <paramref name="x"/> [B, D] to unit L_p norm.</summary>
    public override Tensor forward(Tensor x)
    {
        if (x.dim() != 2)
            throw new ArgumentException($"Normalize expects a [batch, features] tensor but got shape [{string.Join(", ", x.shape)}]; flatten it first.", nameof(x));
        using var norm = x.pow(power).sum(1, keepdim: true).pow(1.0 / power); // [B, 1]
        return x.div(norm);
    }
}
