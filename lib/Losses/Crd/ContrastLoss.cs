using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.Crd;

/// <summary>The NCE loss of CRD: classify the positive against K noise rows, with uniform noise Pn = 1/N.</summary>
/// <remarks>
/// Tian, Krishnan &amp; Isola, "Contrastive Representation Distillation", ICLR 2020, Eq. 18: with h = P/(P + K·Pn),
/// the loss is −(1/B) Σ_rows [ log h(positive) + Σ_K log(1 − h(negative)) ], where 1 − h = K·Pn/(P + K·Pn). As in
/// RepDistiller's <c>ContrastLoss</c>, 1e-7 is added to each denominator (not to the numerators).
/// </remarks>
public sealed class ContrastLoss : nn.Module<Tensor, Tensor>
{
    /// <summary>The epsilon RepDistiller adds to P + K·Pn.</summary>
    public const double Epsilon = 1e-7;

    /// <summary>Creates the loss for a memory of <paramref name="dataCount"/> rows (Pn = 1 / dataCount).</summary>
    public ContrastLoss(long dataCount) : base(nameof(ContrastLoss))
    {
        if (dataCount < 1)
            throw new ArgumentOutOfRangeException(nameof(dataCount), dataCount, "The noise distribution needs at least one data row.");
        DataCount = dataCount;
    }

    /// <summary>Number of data rows N; the noise probability of each is 1/N.</summary>
    public long DataCount { get; }

    /// <summary>Computes the scalar loss from normalised scores [B, K+1] (column 0 the positive).</summary>
    public override Tensor forward(Tensor scores)
    {
        if (scores.dim() != 2 || scores.shape[1] < 2)
            throw new ArgumentException($"Scores must be [B, K+1] with K >= 1 (column 0 the positive), but the shape is [{string.Join(", ", scores.shape)}].", nameof(scores));
        using var scope = torch.NewDisposeScope();
        long batch = scores.shape[0], k = scores.shape[1] - 1;
        double noise = k * (1.0 / DataCount); // K·Pn
        var positive = scores.select(1, 0);                                        // [B]
        var logD1 = positive.div(positive.add(noise + Epsilon)).log();             // log h
        var negative = scores.narrow(1, 1, k);                                     // [B, K]
        var logD0 = torch.full_like(negative, noise).div(negative.add(noise + Epsilon)).log(); // log(1 − h)
        return logD1.sum().add(logD0.sum()).neg().div(batch).MoveToOuterDisposeScope();
    }
}
