namespace Distill.Data.Ecg;

/// <summary>Hamilton's QRS detector as BioSPPy implements it (<c>biosppy.signals.ecg.hamilton_segmenter</c>).</summary>
/// <remarks>
/// Hamilton P.S., "Open Source ECG Analysis", Computers in Cardiology 29, 2002, 101-104; BioSPPy (Carreiras C. et al.,
/// "BioSPPy: Biosignal Processing in Python", 2015-, version 0.6.1, which the BeatGAN authors' preprocessing ran; its
/// HEAD of 2022 has the same algorithm). Steps: band-pass the input (order-4 Butterworth low-pass at 25 Hz, then
/// high-pass at 3 Hz, each zero-phase), take |d/dt|, smooth it with an 80 ms Hamming window; learn the peak level from
/// the largest peak of each of the first 8 s; then, for every local maximum of the smoothed slope in order, Hamilton's
/// rules: (1) ignore a peak with a larger one within 200 ms; (2) a candidate must show both rising and falling slopes in
/// the input within 45 ms; (3) within 360 ms of the previous beat, a slope under half the previous beat's is a T wave;
/// (4) a peak over the detection threshold DT = noise + 0.475 (QRS - noise) (medians of the last 8 QRS and noise peaks)
/// is a QRS complex, unless it exceeds 3 times the QRS median; (5) after 1.5 median RR intervals (and 360 ms) without a
/// beat, a peak over DT / 2 is a beat. Each detection is then placed on the input's larger deflection within 200 ms:
/// its highest maximum, or its deepest minimum when the two largest minima differ by more than 0.85 times what the two
/// largest maxima differ by (BioSPPy's choice between positive and negative R waves). The quirks of BioSPPy's code are
/// kept, since BeatGAN's beat selection depends on them: the noise buffer is not updated by a rejected search-back
/// peak, and when neither polarity has two distinct peaks the one with the larger window index wins.
/// </remarks>
public static class HamiltonSegmenter
{
    /// <summary>R-peak sample indices of <paramref name="signal"/>, ascending and distinct.</summary>
    /// <param name="signal">A band-passed ECG lead (BioSPPy's <c>ecg.ecg</c> passes its 3-45 Hz FIR output).</param>
    /// <param name="samplingFrequency">Samples per second.</param>
    /// <exception cref="ArgumentException">The signal is shorter than one second, or contains NaN or infinity.</exception>
    public static int[] Detect(ReadOnlySpan<double> signal, double samplingFrequency)
    {
        double fs = samplingFrequency;
        if (!(fs > 0)) throw new ArgumentOutOfRangeException(nameof(samplingFrequency), fs, "The sampling frequency must be positive.");
        int length = signal.Length;
        double duration = length / fs;
        if (duration < 1)
            throw new ArgumentException($"The signal lasts {duration:G3} s; Hamilton's detector learns its thresholds from at least one second.", nameof(signal));
        foreach (double v in signal)
            if (!double.IsFinite(v)) throw new ArgumentException("The signal contains NaN or infinity; check the record for invalid samples.", nameof(signal));

        int oneSecond = (int)(1.0 * fs);
        double refractory = Math.Ceiling(0.36 * fs); // Hamilton's 360 ms
        int smoothing = (int)(0.08 * fs);
        int buffer = Math.Min(8, (int)duration);   // seconds (and peaks) the thresholds are learnt from

        double[] slope = SmoothedSlope(signal, fs, smoothing);
        var qrsPeaks = new double[buffer];
        var noisePeaks = new double[buffer];
        var rrIntervals = Enumerable.Repeat(fs, buffer).ToArray();
        for (int i = 0; i < buffer; i++)
        {
            int start = i * oneSecond, end = Math.Min(start + oneSecond, slope.Length);
            if (end <= start) continue;
            var peaks = SignalExtrema.Maxima(slope.AsSpan(start, end - start));
            if (peaks.Count == 0) continue;
            qrsPeaks[i] = peaks.Max(p => slope[start + p]);
        }

        var allPeaks = SignalExtrema.Maxima(slope);
        double threshold = Threshold(noisePeaks, qrsPeaks);
        int qrsIndex = 0, noiseIndex = 0, rrIndex = 0;
        int lim = (int)Math.Ceiling(0.2 * fs);
        int slopeHalfWidth = (int)Math.Ceiling(0.045 * fs);
        var beats = new List<int>();
        int first = 0, last = 0; // allPeaks[first..last) is the 200 ms neighbourhood of the current peak

        void AddInterval()
        {
            rrIntervals[rrIndex] = beats[^1] - beats[^2];
            rrIndex = (rrIndex + 1) % buffer;
        }
        void AddQrs(double value)
        {
            qrsPeaks[qrsIndex] = value;
            qrsIndex = (qrsIndex + 1) % buffer;
        }

        foreach (int f in allPeaks)
        {
            while (allPeaks[first] <= f - lim) first++;
            while (last < allPeaks.Count && allPeaks[last] < f + lim) last++;
            double value = slope[f];
            bool larger = false;
            for (int k = first; k < last && !larger; k++) larger = allPeaks[k] != f && slope[allPeaks[k]] > value;
            if (larger) continue;                                                               // rule 1

            if (value > threshold)
            {
                var slopesNow = SlopesAround(signal, f, slopeHalfWidth);
                int rising = slopesNow.Count(d => d > 0);
                if (rising == 0 || rising == slopesNow.Length) continue;                        // rule 2
                if (beats.Count > 0)
                {
                    int previous = beats[^1];
                    if (f - previous < refractory)
                    {
                        double slopePrevious = Max(SlopesAround(signal, previous, slopeHalfWidth));
                        if (Max(slopesNow) < 0.5 * slopePrevious) continue;                     // rule 3: a T wave
                    }
                    if (!(value < 3.0 * Median(qrsPeaks))) continue;
                    beats.Add(f);
                    AddInterval();
                }
                else if (value < 3.0 * Median(qrsPeaks)) beats.Add(f);
                else continue;
                AddQrs(value);
            }
            else
            {
                bool searchBack = false;
                if (beats.Count >= 2)
                {
                    int elapsed = f - beats[^1];
                    searchBack = elapsed >= 1.5 * Median(rrIntervals) && elapsed > refractory;  // rule 5
                }
                if (searchBack)
                {
                    if (value > 0.5 * threshold)
                    {
                        beats.Add(f);
                        AddInterval();
                        AddQrs(value);
                    }
                }
                else
                {
                    noisePeaks[noiseIndex] = value;
                    noiseIndex = (noiseIndex + 1) % buffer;
                }
            }
            threshold = Threshold(noisePeaks, qrsPeaks);                                        // rule 4
        }
        return PlaceOnDeflection(signal, beats, lim, 0.05 * fs);
    }

    private static double Threshold(double[] noisePeaks, double[] qrsPeaks)
    {
        double noise = Median(noisePeaks);
        return noise + 0.475 * (Median(qrsPeaks) - noise);
    }

    // |d/dt| of the 25 Hz low-passed, 3 Hz high-passed signal, smoothed by a normalised Hamming window over the series
    // padded with `size` copies of its end values (BioSPPy's smoother with mirror=True and np.convolve's 'same' centring).
    private static double[] SmoothedSlope(ReadOnlySpan<double> signal, double fs, int size)
    {
        var (bl, al) = Butterworth.Design(4, 25, fs, FilterBand.Lowpass);
        var (bh, ah) = Butterworth.Design(4, 3, fs, FilterBand.Highpass);
        double[] filtered = LinearFilter.FiltFilt(bh, ah, LinearFilter.FiltFilt(bl, al, signal));
        var dx = new double[filtered.Length - 1];
        for (int i = 0; i < dx.Length; i++) dx[i] = Math.Abs((filtered[i + 1] - filtered[i]) * fs);

        if (size > dx.Length) size = dx.Length - 1;
        if (size < 1) size = 1;
        double[] window = HammingWindow.Symmetric(size);
        double total = NumPySum.Pairwise(window);
        for (int i = 0; i < size; i++) window[i] /= total;
        // smoothed[m] = sum over t of window[t] dx[m + size - 1 - size / 2 - t], dx held at its end values beyond its ends.
        int shift = size - size / 2;
        var padded = new double[dx.Length + 2 * size];
        for (int i = 0; i < padded.Length; i++) padded[i] = dx[Math.Clamp(i - size, 0, dx.Length - 1)];
        var smoothed = new double[dx.Length];
        Array.Reverse(window);
        Correlation.Valid(padded.AsSpan(shift), window, smoothed);
        return smoothed;
    }

    // First differences of the input within +-halfWidth samples of `at`, cut as BioSPPy cuts them near the ends.
    private static double[] SlopesAround(ReadOnlySpan<double> signal, int at, int halfWidth)
    {
        int start, end;
        if (at < halfWidth) (start, end) = (0, at + halfWidth);
        else if (at + halfWidth >= signal.Length) (start, end) = (at - halfWidth, signal.Length - 1);
        else (start, end) = (at - halfWidth, at + halfWidth);
        end = Math.Min(end, signal.Length);
        var d = new double[Math.Max(0, end - start - 1)];
        for (int i = 0; i < d.Length; i++) d[i] = signal[start + i + 1] - signal[start + i];
        return d;
    }

    private static double Max(double[] values) => values.Length == 0 ? double.NegativeInfinity : values.Max();

    private static int[] PlaceOnDeflection(ReadOnlySpan<double> signal, List<int> beats, int lim, double adjacency)
    {
        var placed = new SortedSet<int>();
        foreach (int beat in beats)
        {
            int start = Math.Max(0, beat - lim), end = beat + lim >= signal.Length ? signal.Length : beat + lim;
            double[] window = signal[start..end].ToArray();
            var flat = new List<int>();
            for (int k = 0; k + 1 < window.Length; k++) if (window[k + 1] - window[k] == 0) flat.Add(k);
            // BioSPPy sorts (value, index) pairs, maxima descending and minima ascending, and takes the first pair and the
            // first later one more than `adjacency` samples away: the best and the best far one in that order.
            var maxima = SignalExtrema.Maxima(window).Concat(flat).ToList();
            var minima = SignalExtrema.Minima(window).Concat(flat).ToList();
            int? topMax = Best(window, maxima, +1, null, adjacency), topMin = Best(window, minima, -1, null, adjacency);
            int? nextMax = Best(window, maxima, +1, topMax, adjacency), nextMin = Best(window, minima, -1, topMin, adjacency);
            double? positive = nextMax is int pm ? Math.Abs(window[topMax!.Value] - window[pm]) : null;
            double? negative = nextMin is int nm ? Math.Abs(window[topMin!.Value] - window[nm]) : null;

            int? chosen = (positive, negative) switch
            {
                ({ } pos, { } neg) => pos > 0.85 * neg ? topMax : topMin,
                (null, null) => topMax is int a && topMin is int b ? (Math.Abs(a) > Math.Abs(b) ? a : b) : null,
                (null, _) => topMax,
                (_, null) => topMin,
            };
            if (chosen is int index) placed.Add(index + start);
        }
        return [.. placed];
    }

    // The first of `candidates` in BioSPPy's order ((value, index) descending for sign +1, ascending for -1), among
    // those more than `adjacency` samples from `awayFrom` when it is given; null when there is none.
    private static int? Best(double[] window, List<int> candidates, int sign, int? awayFrom, double adjacency)
    {
        int? best = null;
        foreach (int c in candidates)
        {
            if (awayFrom is int from && !(Math.Abs(from - c) > adjacency)) continue;
            if (best is not int b) { best = c; continue; }
            int order = sign * window[c].CompareTo(window[b]);
            if (order > 0 || (order == 0 && sign * c.CompareTo(b) > 0)) best = c;
        }
        return best;
    }

    /// <summary>NumPy's median: the middle value, or the mean of the two middle values.</summary>
    private static double Median(double[] values)
    {
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
