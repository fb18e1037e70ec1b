namespace Distill.Data.Ecg;

/// <summary>The symmetric Hamming window, computed as SciPy's <c>scipy.signal.windows.hamming(M, sym=True)</c>.</summary>
/// <remarks>
/// Hamming R.W., "Digital Filters", Prentice-Hall, 1977: w[n] = 0.54 - 0.46 cos(2 pi n / (M - 1)). SciPy evaluates it as
/// the generalised cosine window 0.54 + (1 - 0.54) cos(f[n]) on f = linspace(-pi, pi, M); the same steps are taken here
/// so that the windows of <see cref="EcgFilter"/>'s FIR design and of the Hamilton segmenter's smoothing agree with
/// SciPy's to the last bit or two.
/// </remarks>
public static class HammingWindow
{
    /// <summary>The <paramref name="length"/>-point symmetric window (1 for a single point).</summary>
    public static double[] Symmetric(int length)
    {
        if (length < 1) throw new ArgumentOutOfRangeException(nameof(length), length, "A window needs at least one point.");
        if (length == 1) return [1.0];
        const double alpha = 0.54;
        double step = (Math.PI - -Math.PI) / (length - 1);
        var w = new double[length];
        for (int n = 0; n < length; n++)
        {
            double f = n == length - 1 ? Math.PI : n * step + -Math.PI; // linspace sets the end point exactly
            w[n] = alpha + (1.0 - alpha) * Math.Cos(f);
        }
        return w;
    }
}
