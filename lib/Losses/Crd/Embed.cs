using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Losses.Crd;

/// <summary>The critic's embedding head: flatten, a linear projection to the contrast space, then L2 <see cref="Normalize"/>.</summary>
/// <remarks>
/// Tian, Krishnan &amp; Isola, "Contrastive Representation Distillation", ICLR 2020, Sec. 3.2 (g^S and g^T of
/// Eq. 19): one linear layer per network maps its penultimate feature to a shared <c>feat_dim</c> space, as in
/// RepDistiller's <c>Embed</c>. The embedding is trainable and owned by the loss; the optimizer must see it.
/// </remarks>
public sealed class Embed : nn.Module<Tensor, Tensor>
{
    private readonly Linear linear;
    private readonly Normalize l2norm;

    /// <summary>Creates a projection from <paramref name="inputDim"/> flattened features to <paramref name="outputDim"/>.</summary>
    /// <param name="inputDim">Flattened size of the feature it embeds.</param>
    /// <param name="outputDim">Size of the contrast space (feat_dim).</param>
    /// <param name="device">Where its parameters live; null keeps TorchSharp's default, the CPU. <see cref="CrdLoss"/> passes its own.</param>
    public Embed(long inputDim, long outputDim, Device? device = null) : base(nameof(Embed))
    {
        if (inputDim < 1) throw new ArgumentOutOfRangeException(nameof(inputDim), inputDim, "The embedding's input dimension must be at least 1.");
        if (outputDim < 1) throw new ArgumentOutOfRangeException(nameof(outputDim), outputDim, "The embedding's output dimension (feat_dim) must be at least 1.");
        InputDim = inputDim;
        linear = nn.Linear(inputDim, outputDim, device: device);
        l2norm = new Normalize(2);
        RegisterComponents();
    }

    /// <summary>Number of features (after flattening) the projection expects.</summary>
    public long InputDim { get; }

    /// <summary>Embeds a batch [B, ...] (flattened to [B, InputDim]) into unit-norm rows [B, feat_dim].</summary>
    public override Tensor forward(Tensor x)
    {
        if (x.dim() < 2)
            throw new ArgumentException($"Embed expects a batch [B, ...] but got shape [{string.Join(", ", x.shape)}].", nameof(x));
        long flat = x.shape.Skip(1).Aggregate(1L, (a, b) => a * b);
        if (flat != InputDim)
            throw new ArgumentException(
                $"The feature has {flat} values per row (shape [{string.Join(", ", x.shape)}]) but the embedding was built for {InputDim}; " +
                "build the CRD loss with the dimension of the feature it is given (check the LayerPair).", nameof(x));
        using var rows = x.reshape(x.shape[0], -1); // [B, D_in]
        using var projected = linear.forward(rows); // [B, feat_dim]
        return l2norm.forward(projected);
    }
}
