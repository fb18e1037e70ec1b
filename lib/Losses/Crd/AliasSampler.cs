using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.Crd;

/// <summary>Draws indices from a fixed discrete distribution in O(1) per draw with Walker's alias method.</summary>
/// <remarks>
/// Walker, "An efficient method for generating discrete random variables with general distributions", ACM TOMS 1977,
/// tables built with Vose's stable construction (IEEE TSE 1991). CRD (Tian, Krishnan &amp; Isola, ICLR 2020) draws its
/// uniform noise rows this way (RepDistiller's <c>AliasMethod</c>). A draw picks a column k uniformly, keeps k with
/// probability <c>q[k]</c> and otherwise returns its alias. Tables live on the device given at construction, so draws
/// never leave the device; randomness comes from the given torch generator or torch's global one
/// (<see cref="Distill.Runtime.Reproducibility.Seed"/>).
/// </remarks>
public sealed class AliasSampler : IDisposable
{
    private readonly Tensor keep;  // [N] probability of keeping the drawn column
    private readonly Tensor alias; // [N] int64 outcome used otherwise

    /// <summary>Builds the tables for outcome probabilities proportional to <paramref name="weights"/>.</summary>
    /// <param name="weights">Non-negative weight of each outcome.</param>
    /// <param name="device">Where the tables live and draws are made; null keeps TorchSharp's default, the CPU.</param>
    public AliasSampler(IReadOnlyList<double> weights, Device? device = null)
    {
        if (weights.Count == 0)
            throw new ArgumentException("The alias sampler needs at least one outcome.", nameof(weights));
        double total = 0;
        for (int i = 0; i < weights.Count; i++)
        {
            if (!(weights[i] >= 0) || double.IsInfinity(weights[i]))
                throw new ArgumentException($"Weight {i} is {weights[i]}; alias-sampler weights must be finite and non-negative.", nameof(weights));
            total += weights[i];
        }
        if (!(total > 0))
            throw new ArgumentException("All alias-sampler weights are zero; give at least one outcome a positive weight.", nameof(weights));

        int n = weights.Count;
        var scaled = new double[n];
        var aliasOf = new long[n];
        var small = new Stack<int>();
        var large = new Stack<int>();
        for (int i = 0; i < n; i++)
        {
            scaled[i] = weights[i] / total * n;
            aliasOf[i] = i;
            (scaled[i] < 1.0 ? small : large).Push(i);
        }
        // Each under-full column is topped up by one over-full outcome, which then may become under-full itself.
        while (small.Count > 0 && large.Count > 0)
        {
            int s = small.Pop(), l = large.Pop();
            aliasOf[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1.0;
            (scaled[l] < 1.0 ? small : large).Push(l);
        }
        // Left-overs are full columns up to rounding error.
        foreach (int i in small.Concat(large)) scaled[i] = 1.0;

        Count = n;
        keep = torch.tensor(scaled, dtype: ScalarType.Float32, device: device);
        alias = torch.tensor(aliasOf, dtype: ScalarType.Int64, device: device);
    }

    /// <summary>A sampler of the uniform distribution over <paramref name="count"/> outcomes (CRD's noise distribution) on <paramref name="device"/>.</summary>
    public static AliasSampler Uniform(long count, Device? device = null)
    {
        if (count < 1 || count > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(count), count, $"A uniform alias sampler needs between 1 and {int.MaxValue} outcomes.");
        return new AliasSampler(Enumerable.Repeat(1.0, (int)count).ToArray(), device);
    }

    /// <summary>Number of outcomes N; draws lie in [0, N).</summary>
    public long Count { get; }

    /// <summary>The device the tables live on and draws are made on.</summary>
    public Device Device => keep.device;

    /// <summary>The keep probabilities q [N] (a copy), for inspection.</summary>
    public Tensor KeepProbabilities => keep.clone();

    /// <summary>The alias table [N] (a copy), for inspection.</summary>
    public Tensor Aliases => alias.clone();

    /// <summary>Draws int64 indices of the given shape on <see cref="Device"/>.</summary>
    /// <param name="shape">Shape of the result, for example [B, K].</param>
    /// <param name="generator">Torch generator to draw from; null uses torch's global generator.</param>
    public Tensor Draw(long[] shape, torch.Generator? generator = null)
    {
        if (shape.Any(s => s < 0))
            throw new ArgumentOutOfRangeException(nameof(shape), $"Shape [{string.Join(", ", shape)}] has a negative size.");
        using var scope = torch.NewDisposeScope();
        var column = torch.randint(0, Count, shape, dtype: ScalarType.Int64, device: keep.device, generator: generator);
        var uniform = torch.rand(shape, dtype: keep.dtype, device: keep.device, generator: generator);
        var kept = uniform.lt(keep.index_select(0, column.flatten()).view(shape));
        return torch.where(kept, column, alias.index_select(0, column.flatten()).view(shape)).MoveToOuterDisposeScope();
    }

    /// <summary>Releases the tables.</summary>
    public void Dispose()
    {
        keep.Dispose();
        alias.Dispose();
    }
}
