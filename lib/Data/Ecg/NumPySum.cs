namespace Distill.Data.Ecg;

/// <summary>NumPy's summation order for float64 arrays, so that ported SciPy/BioSPPy code normalises by the same sums.</summary>
internal static class NumPySum
{
    /// <summary>Pairwise summation as <c>np.sum</c> does it: eight running sums for up to 128 values, halves above.</summary>
    public static double Pairwise(ReadOnlySpan<double> a)
    {
        if (a.Length < 8)
        {
            double s = 0;
            foreach (double v in a) s += v;
            return s;
        }
        if (a.Length <= 128)
        {
            Span<double> r = stackalloc double[8];
            a[..8].CopyTo(r);
            int i = 8;
            for (; i < a.Length - a.Length % 8; i += 8)
                for (int j = 0; j < 8; j++) r[j] += a[i + j];
            double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            for (; i < a.Length; i++) res += a[i];
            return res;
        }
        int half = a.Length / 2;
        half -= half % 8;
        return Pairwise(a[..half]) + Pairwise(a[half..]);
    }
}
