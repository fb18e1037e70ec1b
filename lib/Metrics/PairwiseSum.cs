namespace Distill.Metrics;

/// <summary>Sums doubles in NumPy's pairwise order so areas agree bit for bit with scikit-learn.</summary>
/// <remarks>
/// NumPy's <c>np.sum</c> on a contiguous float64 array adds blocks of up to 128 values with eight interleaved
/// accumulators and splits longer arrays in halves (a multiple of 8 long). A left-to-right loop would differ from
/// scikit-learn in the last bits; this order also keeps the rounding error at O(log n) instead of O(n).
/// </remarks>
internal static class PairwiseSum
{
    private const int BlockSize = 128;

    /// <summary>The sum of <paramref name="values"/> in NumPy's order.</summary>
    public static double Of(ReadOnlySpan<double> values)
    {
        int n = values.Length;
        if (n < 8)
        {
            double sum = 0.0;
            foreach (double v in values) sum += v;
            return sum;
        }
        if (n <= BlockSize)
        {
            Span<double> r = stackalloc double[8];
            values[..8].CopyTo(r);
            int i = 8;
            for (; i < n - n % 8; i += 8)
                for (int j = 0; j < 8; j++) r[j] += values[i + j];
            double sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < n; i++) sum += values[i];
            return sum;
        }
        int half = n / 2;
        half -= half % 8;
        return Of(values[..half]) + Of(values[half..]);
    }
}
