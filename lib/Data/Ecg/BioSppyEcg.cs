namespace Distill.Data.Ecg;

/// <summary>What BioSPPy's <c>ecg.ecg</c> returns that BeatGAN uses: the band-passed lead and its R peaks.</summary>
/// <param name="Filtered">The lead after BioSPPy's 3-45 Hz FIR band-pass (<see cref="EcgBandPass.BioSppyFir3To45Hz"/>).</param>
/// <param name="RPeaks">R-peak sample indices, ascending: detected, corrected, and only those with a full heartbeat
/// template of [R - 0.2 s, R + 0.4 s) inside the signal.</param>
public sealed record BioSppyEcgResult(double[] Filtered, int[] RPeaks);

/// <summary>BioSPPy's ECG pipeline (<c>biosppy.signals.ecg.ecg</c>) up to its R peaks, as BeatGAN's preprocessing runs it.</summary>
/// <remarks>
/// Carreiras C. et al., "BioSPPy: Biosignal Processing in Python", 2015- (version 0.6.1; the algorithm is unchanged at
/// the 2022 HEAD); Zhou B. et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series",
/// IJCAI 2019, preprocessing script. Steps: the FIR band-pass of <see cref="EcgFilter"/>; Hamilton's detector on the
/// filtered lead (<see cref="HamiltonSegmenter"/>); correction of each peak to the maximum within 0.05 s
/// (<see cref="RPeakCorrection"/>); then BioSPPy's template extraction keeps the peaks whose [R - 0.2 s, R + 0.4 s)
/// window fits (and stops at the first that does not), and those are the R peaks <c>ecg.ecg</c> returns. Heart rate
/// and templates, which BeatGAN ignores, are not computed.
/// </remarks>
public static class BioSppyEcg
{
    /// <summary>Filters <paramref name="signal"/> and detects its R peaks.</summary>
    /// <param name="signal">One ECG lead (any unit: every step is scale-invariant).</param>
    /// <param name="samplingFrequency">Samples per second (MIT-BIH: 360).</param>
    public static BioSppyEcgResult Process(ReadOnlySpan<float> signal, double samplingFrequency)
    {
        double[] filtered = EcgFilter.Apply(EcgBandPass.BioSppyFir3To45Hz, signal, samplingFrequency);
        int[] detected = HamiltonSegmenter.Detect(filtered, samplingFrequency);
        int[] corrected = RPeakCorrection.Correct(filtered, detected, (int)(0.05 * samplingFrequency));
        int before = (int)(0.2 * samplingFrequency), after = (int)(0.4 * samplingFrequency);
        var templated = new List<int>();
        foreach (int r in corrected)
        {
            if (r - before < 0) continue;
            if (r + after > filtered.Length) break;
            templated.Add(r);
        }
        return new BioSppyEcgResult(filtered, [.. templated]);
    }
}
