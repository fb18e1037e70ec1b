using System.Globalization;

namespace Distill.Training;

/// <summary>Which training rows each step of an epoch reads: a pure function of the run's seed and the epoch, so that a run
/// resumed from a checkpoint draws the batches an uninterrupted one draws.</summary>
public interface IBatchOrder
{
    /// <summary>The number of training rows.</summary>
    int Count { get; }

    /// <summary>The rows of each step of epoch <paramref name="epoch"/> (1-based), in order.</summary>
    IReadOnlyList<long[]> Epoch(int epoch);

    /// <summary>The order in words, for a run's settings (a checkpoint of another order is refused).</summary>
    string Describe();
}

/// <summary>Each epoch shuffled by its own generator, seeded by (seed, epoch) (<see cref="EpochSeed"/>); the last batch
/// keeps the rows left over, unless only one is (BatchNorm needs two).</summary>
/// <param name="count">Training rows.</param>
/// <param name="batchSize">Rows per batch, at least 2.</param>
/// <param name="seed">The run's seed.</param>
public sealed class EpochSeededOrder(int count, int batchSize, int seed) : IBatchOrder
{
    /// <inheritdoc />
    public int Count => count;

    /// <inheritdoc />
    public IReadOnlyList<long[]> Epoch(int epoch)
    {
        if (batchSize < 2) throw new ArgumentOutOfRangeException(nameof(batchSize), $"Batch size {batchSize} is too small: BatchNorm needs at least 2 rows.");
        var order = new long[count];
        for (int i = 0; i < count; i++) order[i] = i;
        EpochSeed.For(seed, epoch).Shuffle(order);
        var batches = new List<long[]>();
        for (int start = 0; start < count; start += batchSize)
        {
            int size = Math.Min(batchSize, count - start);
            if (size < 2) break;
            batches.Add(order[start..(start + size)]);
        }
        return batches;
    }

    /// <inheritdoc />
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"each epoch shuffled by (seed {seed}, epoch), batches of {batchSize} from {count} rows");
}

/// <summary>One <see cref="Random"/> seeded once per run shuffles the rows each epoch, and the last incomplete batch is
/// dropped: the order of BeatGAN's published runs (the authors' data loader, shuffle and drop_last).</summary>
/// <remarks>A shuffle of N rows draws the same N − 1 numbers whatever it shuffles, so epoch e's order is reached by replaying
/// the e − 1 shuffles before it; asking for the epochs in order replays nothing.</remarks>
/// <param name="count">Training rows, at least <paramref name="batchSize"/>.</param>
/// <param name="batchSize">Rows per batch.</param>
/// <param name="seed">The run's seed.</param>
public sealed class RunSeededOrder(int count, int batchSize, int seed) : IBatchOrder
{
    private Random random = new(seed);
    private int drawn; // epochs whose shuffle random has drawn

    /// <inheritdoc />
    public int Count => count;

    /// <inheritdoc />
    public IReadOnlyList<long[]> Epoch(int epoch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(epoch, 1);
        if (epoch <= drawn) (random, drawn) = (new Random(seed), 0);
        long[] order;
        do
        {
            order = new long[count];
            for (int i = 0; i < count; i++) order[i] = i;
            random.Shuffle(order);
            drawn++;
        }
        while (drawn < epoch);
        return Enumerable.Range(0, count / batchSize).Select(b => order[(b * batchSize)..((b + 1) * batchSize)]).ToArray();
    }

    /// <inheritdoc />
    public string Describe() => string.Create(CultureInfo.InvariantCulture, $"seed {seed}, {count} training beats");
}
