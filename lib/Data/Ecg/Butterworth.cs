using System.Numerics;

namespace Distill.Data.Ecg;

/// <summary>Whether a filter passes the frequencies below or above its cutoff.</summary>
public enum FilterBand
{
    /// <summary>Passes frequencies below the cutoff.</summary>
    Lowpass,
    /// <summary>Passes frequencies above the cutoff.</summary>
    Highpass,
}

/// <summary>Digital Butterworth filter design, as SciPy's <c>scipy.signal.butter(N, Wn, btype, output='ba')</c>.</summary>
/// <remarks>
/// Butterworth S., "On the theory of filter amplifiers", Wireless Engineer 7, 1930. SciPy's construction: the analog
/// prototype's poles -exp(i pi m / 2N), m = -N+1, -N+3, ..., N-1; frequency pre-warping 4 tan(pi Wn / 2) (Wn relative to
/// Nyquist); low-pass or high-pass transformation; bilinear transform at fs = 2; then the polynomial coefficients
/// (b, a) with a[0] = 1. BioSPPy's Hamilton segmenter filters with order-4 filters at 25 Hz (low-pass) and 3 Hz
/// (high-pass).
/// </remarks>
public static class Butterworth
{
    /// <summary>Numerator <c>b</c> and denominator <c>a</c> of an order-<paramref name="order"/> digital Butterworth filter.</summary>
    /// <param name="order">Filter order N (the number of poles), at least 1.</param>
    /// <param name="cutoffHz">The -3 dB frequency, strictly between 0 and the Nyquist frequency.</param>
    /// <param name="samplingFrequency">Samples per second.</param>
    /// <param name="band">Low-pass or high-pass.</param>
    public static (double[] B, double[] A) Design(int order, double cutoffHz, double samplingFrequency, FilterBand band)
    {
        if (order < 1) throw new ArgumentOutOfRangeException(nameof(order), order, "A Butterworth filter needs order 1 or more.");
        double nyquist = samplingFrequency / 2;
        if (!(cutoffHz > 0 && cutoffHz < nyquist))
            throw new ArgumentOutOfRangeException(nameof(cutoffHz), cutoffHz, $"The cutoff must lie strictly inside (0, {nyquist}) Hz.");
        double wn = 2.0 * cutoffHz / samplingFrequency;
        const double fs = 2.0;
        double warped = 2 * fs * Math.Tan(Math.PI * wn / fs);

        var poles = new Complex[order];
        for (int i = 0; i < order; i++)
        {
            int m = -order + 1 + 2 * i;
            poles[i] = -Complex.Exp(Complex.ImaginaryOne * Math.PI * m / (2 * order));
        }
        Complex[] zeros;
        double gain;
        switch (band)
        {
            case FilterBand.Lowpass:
                poles = poles.Select(p => warped * p).ToArray();
                zeros = [];
                gain = Math.Pow(warped, order);
                break;
            case FilterBand.Highpass:
                gain = (1 / Product(poles.Select(p => -p))).Real;
                poles = poles.Select(p => warped / p).ToArray();
                zeros = new Complex[order];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(band), band, "Unknown filter band.");
        }

        // Bilinear transform: s = 2 fs (z - 1) / (z + 1); zeros at infinity go to z = -1.
        const double fs2 = 2 * fs;
        gain *= (Product(zeros.Select(z => fs2 - z)) / Product(poles.Select(p => fs2 - p))).Real;
        var digitalZeros = zeros.Select(z => (fs2 + z) / (fs2 - z)).Concat(Enumerable.Repeat(new Complex(-1, 0), order - zeros.Length));
        var digitalPoles = poles.Select(p => (fs2 + p) / (fs2 - p));
        double[] b = Polynomial(digitalZeros).Select(c => gain * c).ToArray();
        return (b, Polynomial(digitalPoles));
    }

    private static Complex Product(IEnumerable<Complex> values) => values.Aggregate(Complex.One, (p, v) => p * v);

    // numpy.poly: coefficients of prod (x - r), highest power first; real because the roots come in conjugate pairs.
    private static double[] Polynomial(IEnumerable<Complex> roots)
    {
        var c = new List<Complex> { Complex.One };
        foreach (var r in roots)
        {
            var next = new Complex[c.Count + 1];
            for (int i = 0; i < next.Length; i++)
                next[i] = (i < c.Count ? c[i] : Complex.Zero) - (i > 0 ? r * c[i - 1] : Complex.Zero);
            c = [.. next];
        }
        return c.Select(v => v.Real).ToArray();
    }
}
