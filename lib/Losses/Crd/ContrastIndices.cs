using static TorchSharp.torch;

namespace Distill.Losses.Crd;

/// <summary>The memory rows one batch is scored against: a positive per row and K negatives.</summary>
/// <remarks>
/// RepDistiller passes these as one <c>[B, K+1]</c> tensor whose column 0 is the positive; here the two parts are
/// kept apart so that negatives can be shared by the batch (<see cref="NegativeSampling.Shared"/>).
/// </remarks>
/// <param name="Positives">Positive memory row of each batch row, int64 [B].</param>
/// <param name="Negatives">Negative memory rows: int64 [B, K] per row, or [K] shared by the batch.</param>
public sealed record ContrastIndices(Tensor Positives, Tensor Negatives)
{
    /// <summary>Splits a reference-layout <c>[B, K+1]</c> tensor (column 0 the positive) into positives and per-row negatives.</summary>
    public static ContrastIndices FromReferenceLayout(Tensor sampleIndices)
    {
        if (sampleIndices.dim() != 2 || sampleIndices.shape[1] < 2)
            throw new ArgumentException(
                $"Reference contrast indices are [B, K+1] with K >= 1 (column 0 the positive), but the shape is [{string.Join(", ", sampleIndices.shape)}].",
                nameof(sampleIndices));
        return new ContrastIndices(sampleIndices.select(1, 0), sampleIndices.narrow(1, 1, sampleIndices.shape[1] - 1));
    }
}
