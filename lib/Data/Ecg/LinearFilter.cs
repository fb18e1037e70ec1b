namespace Distill.Data.Ecg;

/// <summary>Linear filtering of a whole signal in float64 with SciPy's semantics: <c>lfilter</c>, <c>lfilter_zi</c>, <c>filtfilt</c>.</summary>
/// <remarks>
/// BioSPPy (Carreiras C. et al., "BioSPPy: Biosignal Processing in Python", 2015-) filters every ECG with
/// <c>scipy.signal.filtfilt</c>, and BeatGAN's preprocessing (Zhou B. et al., IJCAI 2019) runs BioSPPy; its R-peak
/// detector compares filtered values, so the port follows SciPy's arithmetic, not just its transfer function: the
/// direct form II transposed recursion in the order of SciPy's C loop, odd-extension padding of
/// 3 * max(len(a), len(b)) samples, and initial states <c>lfilter_zi * x[0]</c> (forward) and <c>lfilter_zi * y[^1]</c>
/// (backward). For an FIR filter (a = [1]) SciPy convolves with <c>np.convolve</c>, whose BLAS dot products add in a
/// machine-dependent order; here each output adds its products oldest first (vectorised across outputs), and agrees
/// with SciPy to about 1e-15 relative.
/// </remarks>
public static class LinearFilter
{
    /// <summary>Zero-phase filtering (forward, then backward) with SciPy's <c>filtfilt</c> defaults.</summary>
    /// <param name="b">Numerator coefficients.</param>
    /// <param name="a">Denominator coefficients, a[0] != 0 (<c>[1]</c> for an FIR filter).</param>
    /// <param name="x">The signal; longer than the padding of 3 * max(len(a), len(b)) samples.</param>
    public static double[] FiltFilt(double[] b, double[] a, ReadOnlySpan<double> x)
    {
        (b, a) = Normalised(b, a);
        int pad = 3 * Math.Max(a.Length, b.Length);
        if (x.Length <= pad)
            throw new ArgumentException(
                $"The signal has {x.Length} samples; zero-phase filtering with {Math.Max(a.Length, b.Length)} coefficients needs more than {pad}.", nameof(x));
        double[] zi = LFilterZi(b, a);
        var ext = OddExtension(x, pad);
        var forward = LFilter(b, a, ext, Scaled(zi, ext[0]));
        Array.Reverse(forward);
        var backward = LFilter(b, a, forward, Scaled(zi, forward[0]));
        Array.Reverse(backward);
        return backward.AsSpan(pad, x.Length).ToArray();
    }

    /// <summary>Causal filtering y = (b / a) * x from initial state <paramref name="zi"/> (SciPy's <c>lfilter(b, a, x, zi=zi)</c>, output only).</summary>
    public static double[] LFilter(double[] b, double[] a, ReadOnlySpan<double> x, double[] zi)
    {
        (b, a) = Normalised(b, a);
        int n = Math.Max(a.Length, b.Length);
        if (zi.Length != n - 1)
            throw new ArgumentException($"The initial state has {zi.Length} values; a filter of order {n - 1} needs {n - 1}.", nameof(zi));
        b = Padded(b, n);
        a = Padded(a, n);
        return a.Skip(1).All(v => v == 0) ? Fir(b, x, zi) : DirectFormTwoTransposed(b, a, x, zi);
    }

    /// <summary>Initial state of <see cref="LFilter"/> for the steady state of a unit step (SciPy's <c>lfilter_zi</c>).</summary>
    /// <remarks>Solves (I - A) zi = b[1:] - a[1:] b[0], A the transposed companion matrix of a, by Gaussian elimination
    /// with partial pivoting as LAPACK's <c>gesv</c> does.</remarks>
    public static double[] LFilterZi(double[] b, double[] a)
    {
        (b, a) = Normalised(b, a);
        int n = Math.Max(a.Length, b.Length);
        b = Padded(b, n);
        a = Padded(a, n);
        int m = n - 1;
        var matrix = new double[m, m];
        var rhs = new double[m];
        for (int i = 0; i < m; i++)
        {
            // I - companion(a).T: column 0 holds 1 + a[1] on the diagonal and a[i + 1] below; -1 on the superdiagonal.
            matrix[i, 0] = (i == 0 ? 1.0 : 0.0) + a[i + 1];
            if (i > 0) matrix[i, i] += 1.0;
            if (i + 1 < m) matrix[i, i + 1] -= 1.0;
            rhs[i] = b[i + 1] - a[i + 1] * b[0];
        }
        return Solve(matrix, rhs);
    }

    /// <summary>SciPy's odd extension: reflects <paramref name="pad"/> samples about each end value.</summary>
    private static double[] OddExtension(ReadOnlySpan<double> x, int pad)
    {
        var ext = new double[x.Length + 2 * pad];
        for (int i = 0; i < pad; i++) ext[i] = 2 * x[0] - x[pad - i];
        x.CopyTo(ext.AsSpan(pad));
        for (int i = 0; i < pad; i++) ext[pad + x.Length + i] = 2 * x[^1] - x[x.Length - 2 - i];
        return ext;
    }

    // SciPy's loop: y = z[0] + b[0] x; z[k] = (z[k + 1] + x b[k + 1]) - y a[k + 1]; z[last] = x b[last] - y a[last].
    private static double[] DirectFormTwoTransposed(double[] b, double[] a, ReadOnlySpan<double> x, double[] zi)
    {
        if (b.Length == 5) return FourthOrder(b, a, x, zi);
        int n = b.Length;
        var z = (double[])zi.Clone();
        var y = new double[x.Length];
        for (int t = 0; t < x.Length; t++)
        {
            double xt = x[t];
            double yt = z[0] + b[0] * xt;
            for (int k = 0; k < n - 2; k++) z[k] = z[k + 1] + xt * b[k + 1] - yt * a[k + 1];
            z[n - 2] = xt * b[n - 1] - yt * a[n - 1];
            y[t] = yt;
        }
        return y;
    }

    // The same loop unrolled for five coefficients (the order-4 Butterworth filters of Hamilton's detector), with the
    // state in locals: the same operations in the same order, four times faster.
    private static double[] FourthOrder(double[] b, double[] a, ReadOnlySpan<double> x, double[] zi)
    {
        double b0 = b[0], b1 = b[1], b2 = b[2], b3 = b[3], b4 = b[4], a1 = a[1], a2 = a[2], a3 = a[3], a4 = a[4];
        double z0 = zi[0], z1 = zi[1], z2 = zi[2], z3 = zi[3];
        var y = new double[x.Length];
        for (int t = 0; t < x.Length; t++)
        {
            double xt = x[t];
            double yt = z0 + b0 * xt;
            z0 = z1 + xt * b1 - yt * a1;
            z1 = z2 + xt * b2 - yt * a2;
            z2 = z3 + xt * b3 - yt * a3;
            z3 = xt * b4 - yt * a4;
            y[t] = yt;
        }
        return y;
    }

    // The recursion with a = [1, 0, ...] unrolled: y[t] = acc + b[0] x[t] with acc = zi[t] (while t < order)
    // + b[min(t, order)] x[t - min(t, order)] + ... + b[1] x[t - 1]; from t = order on, a correlation with the reversed taps.
    private static double[] Fir(double[] b, ReadOnlySpan<double> x, double[] zi)
    {
        int order = b.Length - 1, length = x.Length;
        var y = new double[length];
        int head = Math.Min(order, length);
        for (int t = 0; t < head; t++)
        {
            double acc = zi[t];
            for (int j = t; j >= 1; j--) acc += b[j] * x[t - j];
            y[t] = acc + b[0] * x[t];
        }
        if (length > order)
            Correlation.Valid(x, b.Reverse().ToArray(), y.AsSpan(order));
        return y;
    }

    private static (double[] B, double[] A) Normalised(double[] b, double[] a)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(a);
        if (b.Length == 0 || a.Length == 0) throw new ArgumentException("Filter coefficients must not be empty (an FIR filter has a = [1]).");
        if (a[0] == 0 || !double.IsFinite(a[0]))
            throw new ArgumentException($"a[0] is {a[0]}; the leading denominator coefficient must be finite and non-zero.", nameof(a));
        return a[0] == 1 ? (b, a) : (b.Select(v => v / a[0]).ToArray(), a.Select(v => v / a[0]).ToArray());
    }

    private static double[] Padded(double[] c, int n) => c.Length == n ? c : [.. c, .. new double[n - c.Length]];

    private static double[] Scaled(double[] zi, double factor) => zi.Select(v => v * factor).ToArray();

    private static double[] Solve(double[,] m, double[] rhs)
    {
        int n = rhs.Length;
        var x = (double[])rhs.Clone();
        for (int c = 0; c < n; c++)
        {
            int pivot = c;
            for (int r = c + 1; r < n; r++) if (Math.Abs(m[r, c]) > Math.Abs(m[pivot, c])) pivot = r;
            if (m[pivot, c] == 0) throw new ArgumentException("The filter's steady state is undefined (a pole at z = 1); check the coefficients.");
            if (pivot != c)
            {
                for (int k = 0; k < n; k++) (m[c, k], m[pivot, k]) = (m[pivot, k], m[c, k]);
                (x[c], x[pivot]) = (x[pivot], x[c]);
            }
            for (int r = c + 1; r < n; r++)
            {
                double factor = m[r, c] / m[c, c];
                if (factor == 0) continue;
                for (int k = c; k < n; k++) m[r, k] -= factor * m[c, k];
                x[r] -= factor * x[c];
            }
        }
        for (int r = n - 1; r >= 0; r--)
        {
            double sum = x[r];
            for (int k = r + 1; k < n; k++) sum -= m[r, k] * x[k];
            x[r] = sum / m[r, r];
        }
        return x;
    }
}
