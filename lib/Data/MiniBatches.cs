using static TorchSharp.torch;

namespace Distill.Data;

/// <summary>Seeded mini-batch positions over a data set of <c>n</c> rows.</summary>
public static class MiniBatches
{
    /// <summary>
    /// Shuffles <c>0..n-1</c> with <paramref name="rng"/> and yields batches of positions as int64 tensors on the CPU, where
    /// the shuffle is made (<see cref="Tabular.TabularSplit.Rows"/> takes them to its split's device).
    /// A last batch of a single row is dropped: BatchNorm cannot estimate a variance from one sample in training mode.
    /// </summary>
    public static IEnumerable<Tensor> Shuffled(long n, int batchSize, Random rng)
    {
        if (batchSize < 2) throw new ArgumentOutOfRangeException(nameof(batchSize), $"Batch size {batchSize} is too small: BatchNorm needs at least 2 rows.");
        long[] order = new long[n];
        for (long i = 0; i < n; i++) order[i] = i;
        rng.Shuffle(order);
        for (long start = 0; start < n; start += batchSize)
        {
            long size = Math.Min(batchSize, n - start);
            if (size < 2) yield break;
            yield return tensor(order[(int)start..(int)(start + size)]);
        }
    }

    /// <summary>Positions <c>0..n-1</c> in order, in batches (for evaluation), on <paramref name="device"/> (null: the CPU).</summary>
    public static IEnumerable<Tensor> Sequential(long n, int batchSize, Device? device = null)
    {
        for (long start = 0; start < n; start += batchSize)
            yield return arange(start, Math.Min(n, start + batchSize), dtype: ScalarType.Int64, device: device);
    }
}
