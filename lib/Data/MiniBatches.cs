using static TorchSharp.torch;

namespace Distill.Data;

/// <summary>Mini-batch positions over a data set of <c>n</c> rows, for evaluation (training batches come from
/// <c>Distill.Training.IBatchOrder</c>).</summary>
public static class MiniBatches
{
    /// <summary>Positions <c>0..n-1</c> in order, in batches (for evaluation), on <paramref name="device"/> (null: the CPU).</summary>
    public static IEnumerable<Tensor> Sequential(long n, int batchSize, Device? device = null)
    {
        for (long start = 0; start < n; start += batchSize)
            yield return arange(start, Math.Min(n, start + batchSize), dtype: ScalarType.Int64, device: device);
    }
}
