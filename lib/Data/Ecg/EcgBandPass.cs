namespace Distill.Data.Ecg;

/// <summary>The band-pass filters beat segmentation can apply to each lead before cutting windows.</summary>
public enum EcgBandPass
{
    /// <summary>No filtering: beats are cut from the recorded signal.</summary>
    None,

    /// <summary>
    /// BeatGAN's filter: the one BioSPPy's <c>ecg.ecg</c> applies, a 3-45 Hz FIR band-pass with int(0.3 fs) taps
    /// (made odd: 109 at 360 Hz), Hamming window, run forward and backward (zero phase) with odd-extension padding of
    /// 3 x taps samples, as SciPy's <c>firwin</c> and <c>filtfilt</c> do.
    /// </summary>
    BioSppyFir3To45Hz,
}

/// <summary>Zero-phase FIR band-pass filtering of a whole lead (SciPy <c>firwin</c> + <c>filtfilt</c> semantics).</summary>
/// <remarks>
/// BeatGAN (Zhou B. et al., IJCAI 2019) preprocesses each MIT-BIH lead with BioSPPy's <c>ecg.ecg</c>, whose filter
/// is <c>filter_signal(ftype='FIR', band='bandpass', order=int(0.3*fs), frequency=[3, 45])</c>; BioSPPy makes an even
/// order odd and filters with <c>scipy.signal.filtfilt</c> (<see cref="LinearFilter.FiltFilt"/>). The output is float64
/// like SciPy's, because BioSPPy's R-peak detector (<see cref="BioSppyEcg"/>) compares filtered values.
/// </remarks>
public static class EcgFilter
{
    /// <summary>Returns a filtered float64 copy of <paramref name="signal"/> sampled at <paramref name="samplingFrequency"/> Hz.</summary>
    public static double[] Apply(EcgBandPass filter, ReadOnlySpan<float> signal, double samplingFrequency)
    {
        var x = new double[signal.Length];
        for (int i = 0; i < x.Length; i++) x[i] = signal[i];
        return filter switch
        {
            EcgBandPass.None => x,
            EcgBandPass.BioSppyFir3To45Hz => LinearFilter.FiltFilt(FirBandPass(OddTaps((int)(0.3 * samplingFrequency)), 3, 45, samplingFrequency), [1.0], x),
            _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown band-pass filter."),
        };
    }

    private static int OddTaps(int order) => order % 2 == 0 ? order + 1 : order;

    /// <summary>Windowed-sinc band-pass taps (Hamming window), scaled to unit gain at the band centre, as <c>scipy.signal.firwin</c>.</summary>
    public static double[] FirBandPass(int taps, double lowHz, double highHz, double samplingFrequency)
    {
        double nyquist = samplingFrequency / 2;
        if (!(lowHz > 0 && lowHz < highHz && highHz < nyquist))
            throw new ArgumentOutOfRangeException(nameof(highHz), $"Band [{lowHz}, {highHz}] Hz must lie strictly inside (0, {nyquist}) Hz.");
        if (taps < 1 || taps % 2 == 0)
            throw new ArgumentOutOfRangeException(nameof(taps), taps, "A band-pass FIR filter needs an odd number of taps (SciPy rejects even ones).");
        double left = 2.0 * lowHz / samplingFrequency, right = 2.0 * highHz / samplingFrequency, centre = 0.5 * (taps - 1);
        double[] window = HammingWindow.Symmetric(taps);
        var h = new double[taps];
        var cosine = new double[taps];
        double f0 = 0.5 * (left + right);
        for (int n = 0; n < taps; n++)
        {
            double m = n - centre;
            h[n] = (right * Sinc(right * m) - left * Sinc(left * m)) * window[n];
            cosine[n] = h[n] * Math.Cos(Math.PI * m * f0);
        }
        double gain = NumPySum.Pairwise(cosine);
        for (int n = 0; n < taps; n++) h[n] /= gain;
        return h;
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);
}
