namespace Distill.Data.Ecg;

/// <summary>A random RR-interval time series with McSharry's bimodal power spectrum (Mayer waves and respiration).</summary>
/// <remarks>
/// McSharry et al., IEEE TBME 2003, Section II, eq. (4): S(f) = σ1² / sqrt(2π c1²) exp(-(f - f1)² / 2c1²)
/// + σ2² / sqrt(2π c2²) exp(-(f - f2)² / 2c2²), with σ1²/σ2² the LF/HF ratio. As in ECGSYN the series is built from
/// the spectrum's amplitudes with uniformly random phases and then scaled to the requested mean and standard
/// deviation (RR mean 60/HR, RR standard deviation 60 HRstd / HR² seconds). We sum the cosines directly at the times
/// we need instead of through an inverse FFT on a 1 Hz grid followed by interpolation.
/// </remarks>
public sealed class RrTachogram
{
    private readonly double[] frequencies, amplitudes, phases;
    private readonly double mean, std, rawMean, rawStd;

    /// <summary>Draws a tachogram covering <paramref name="seconds"/> seconds.</summary>
    public RrTachogram(SyntheticEcgOptions options, double seconds, Random random)
    {
        if (!(options.MeanHeartRate > 0 && options.HeartRateStd >= 0 && options.LfHfRatio >= 0 && options.SpectralWidth > 0))
            throw new ArgumentOutOfRangeException(nameof(options), "Heart rate and spectral width must be positive, HR std and LF/HF ratio non-negative.");
        mean = 60.0 / options.MeanHeartRate;
        std = 60.0 * options.HeartRateStd / (options.MeanHeartRate * options.MeanHeartRate);
        double span = Math.Max(seconds, 64);
        int count = (int)(0.5 * span); // frequencies k / span up to 0.5 Hz, the Nyquist rate of a 1 Hz tachogram
        frequencies = new double[count];
        amplitudes = new double[count];
        phases = new double[count];
        double c = options.SpectralWidth, lf = options.LfHfRatio, hf = 1.0;
        for (int k = 0; k < count; k++)
        {
            double f = (k + 1) / span;
            double power = lf / Math.Sqrt(2 * Math.PI * c * c) * Math.Exp(-Square(f - options.MayerFrequency) / (2 * c * c))
                         + hf / Math.Sqrt(2 * Math.PI * c * c) * Math.Exp(-Square(f - options.RespiratoryFrequency) / (2 * c * c));
            frequencies[k] = f;
            amplitudes[k] = Math.Sqrt(power);
            phases[k] = 2 * Math.PI * random.NextDouble();
        }
        // Normalise on a 1 Hz grid, as ECGSYN normalises its 1 Hz series.
        var grid = Enumerable.Range(0, (int)Math.Ceiling(span)).Select(t => Raw(t)).ToArray();
        rawMean = grid.Average();
        rawStd = Math.Sqrt(grid.Select(v => Square(v - rawMean)).Average());
    }

    /// <summary>The sinus RR interval (seconds) at time <paramref name="t"/>.</summary>
    public double At(double t) => rawStd > 0 ? mean + std * (Raw(t) - rawMean) / rawStd : mean;

    private double Raw(double t)
    {
        double sum = 0;
        for (int k = 0; k < frequencies.Length; k++) sum += amplitudes[k] * Math.Cos(2 * Math.PI * frequencies[k] * t + phases[k]);
        return sum;
    }

    private static double Square(double x) => x * x;
}
