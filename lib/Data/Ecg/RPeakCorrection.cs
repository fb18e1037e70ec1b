namespace Distill.Data.Ecg;

/// <summary>Moves each detected R peak to the signal's maximum nearby (BioSPPy's <c>ecg.correct_rpeaks</c>).</summary>
/// <remarks>
/// BioSPPy (Carreiras C. et al., 2015-), used by BeatGAN's preprocessing (Zhou B. et al., IJCAI 2019) with a tolerance
/// of 0.05 s: each peak r becomes the first maximum of the signal in [r - tol, r + tol); a peak whose window starts
/// before the signal is skipped, and the first one whose window ends after it stops the correction (BioSPPy breaks
/// there, so later peaks are dropped too). Peaks that land on the same sample are merged.
/// </remarks>
public static class RPeakCorrection
{
    /// <summary>The corrected peaks, ascending and distinct.</summary>
    /// <param name="signal">The signal the peaks were detected on.</param>
    /// <param name="rPeaks">Detected peaks, ascending.</param>
    /// <param name="tolerance">Half-width of the search window in samples (BioSPPy: int(0.05 fs), 18 at 360 Hz).</param>
    public static int[] Correct(ReadOnlySpan<double> signal, IReadOnlyList<int> rPeaks, int tolerance)
    {
        if (tolerance < 1) throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "The search window needs a half-width of at least one sample.");
        var corrected = new SortedSet<int>();
        foreach (int r in rPeaks)
        {
            int start = r - tolerance, end = r + tolerance;
            if (start < 0) continue;
            if (end > signal.Length) break;
            int best = start;
            for (int i = start + 1; i < end; i++) if (signal[i] > signal[best]) best = i;
            corrected.Add(best);
        }
        return [.. corrected];
    }
}
