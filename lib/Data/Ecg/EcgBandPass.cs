using Distill.Runtime;
using System.Runtime.InteropServices;
using TorchSharp;

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
/// order odd and filters with <c>scipy.signal.filtfilt</c>. BeatGAN additionally keeps an N beat only when BioSPPy's
/// R-peak detector finds a peak within 10 samples of the annotation; this library trusts the annotations instead.
/// </remarks>
public static class EcgFilter
{
    /// <summary>Returns a filtered copy of <paramref name="signal"/> sampled at <paramref name="samplingFrequency"/> Hz.</summary>
    public static float[] Apply(EcgBandPass filter, ReadOnlySpan<float> signal, double samplingFrequency) => filter switch
    {
        EcgBandPass.None => signal.ToArray(),
        EcgBandPass.BioSppyFir3To45Hz => FiltFilt(FirBandPass(OddTaps((int)(0.3 * samplingFrequency)), 3, 45, samplingFrequency), signal),
        _ => throw new ArgumentOutOfRangeException(nameof(filter), filter, "Unknown band-pass filter."),
    };

    private static int OddTaps(int order) => order % 2 == 0 ? order + 1 : order;

    /// <summary>Windowed-sinc band-pass taps (Hamming window), scaled to unit gain at the band centre, as <c>scipy.signal.firwin</c>.</summary>
    public static double[] FirBandPass(int taps, double lowHz, double highHz, double samplingFrequency)
    {
        double nyquist = samplingFrequency / 2;
        if (!(lowHz > 0 && lowHz < highHz && highHz < nyquist))
            throw new ArgumentOutOfRangeException(nameof(highHz), $"Band [{lowHz}, {highHz}] Hz must lie strictly inside (0, {nyquist}) Hz.");
        double left = lowHz / nyquist, right = highHz / nyquist, centre = (taps - 1) / 2.0;
        var h = new double[taps];
        for (int n = 0; n < taps; n++)
        {
            double m = n - centre;
            double window = 0.54 - 0.46 * Math.Cos(2 * Math.PI * n / (taps - 1));
            h[n] = (right * Sinc(right * m) - left * Sinc(left * m)) * window;
        }
        double gain = 0, f0 = (left + right) / 2;
        for (int n = 0; n < taps; n++) gain += h[n] * Math.Cos(Math.PI * (n - centre) * f0);
        for (int n = 0; n < taps; n++) h[n] /= gain;
        return h;
    }

    private static double Sinc(double x) => x == 0 ? 1 : Math.Sin(Math.PI * x) / (Math.PI * x);

    /// <summary>Forward-backward FIR filtering with odd-extension padding of 3 x taps (SciPy's <c>filtfilt</c> defaults).</summary>
    public static float[] FiltFilt(double[] taps, ReadOnlySpan<float> x)
    {
        int pad = 3 * taps.Length;
        if (x.Length <= pad)
            throw new ArgumentException($"The signal has {x.Length} samples; zero-phase filtering with {taps.Length} taps needs more than {pad}.", nameof(x));
        // Odd extension: reflect about the end values so the padded signal is continuous in value and slope.
        var ext = new double[x.Length + 2 * pad];
        for (int i = 0; i < pad; i++) ext[i] = 2.0 * x[0] - x[pad - i];
        for (int i = 0; i < x.Length; i++) ext[pad + i] = x[i];
        for (int i = 0; i < pad; i++) ext[pad + x.Length + i] = 2.0 * x[^1] - x[x.Length - 2 - i];

        double[] forward = Convolve(taps, ext);
        Array.Reverse(forward);
        double[] backward = Convolve(taps, forward);
        Array.Reverse(backward);
        var y = new float[x.Length];
        for (int i = 0; i < y.Length; i++) y[i] = (float)backward[pad + i];
        return y;
    }

    // Causal FIR with the steady state of a constant input equal to the first sample (lfilter with zi = lfilter_zi * x[0]),
    // computed as a linear convolution through the FFT in float64 (direct 109-tap convolution of a 30-minute record
    // is slow without optimisation, and im2col-based conv1d would need a [taps, samples] matrix).
    private static double[] Convolve(double[] taps, double[] x)
    {
        using var scope = torch.NewDisposeScope();
        var device = DistillDevice.Current;
        int k = taps.Length;
        var padded = torch.cat([torch.full(k - 1, x[0], torch.float64, device), torch.tensor(x, device: device)]); // [L + k - 1]
        long n = 1L << (int)Math.Ceiling(Math.Log2(padded.shape[0] + k - 1)); // powers of two keep the FFT fast
        var full = torch.fft.irfft(torch.fft.rfft(padded, n) * torch.fft.rfft(torch.tensor(taps, device: device), n), n); // [n]
        // Outputs k - 1 .. k - 2 + L see only real or steady-state input: the causal filter's output for x.
        var y = full.narrow(0, k - 1, x.Length).cpu().contiguous();
        return MemoryMarshal.Cast<byte, double>(y.bytes).ToArray();
    }
}
