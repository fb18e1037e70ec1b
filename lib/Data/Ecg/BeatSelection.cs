namespace Distill.Data.Ecg;

/// <summary>Which annotated beats segmentation keeps.</summary>
public enum BeatSelection
{
    /// <summary>
    /// The BeatGAN authors' rule (their preprocessing script): every S, V, F and Q beat, and an N beat only when
    /// BioSPPy's R-peak detector (<see cref="BioSppyEcg"/>) run on the first lead finds a peak closer than
    /// <see cref="BeatSegmentationOptions.RPeakTolerance"/> samples to the annotation.
    /// </summary>
    ConfirmedNormalBeats,

    /// <summary>Every beat annotation of an AAMI class: the reference annotations are trusted as they are.</summary>
    AllAnnotatedBeats,
}

/// <summary>The nearest detected R peak to an annotated one, as the BeatGAN authors' <c>bisearch</c> finds it.</summary>
public static class NearestRPeak
{
    /// <summary>|nearest peak - <paramref name="sample"/>|, or null when no peak was detected.</summary>
    /// <param name="rPeaks">Detected peaks, ascending.</param>
    /// <param name="sample">The annotated R peak.</param>
    public static long? Distance(IReadOnlyList<int> rPeaks, long sample)
    {
        if (rPeaks.Count == 0) return null;
        int lo = 0, hi = rPeaks.Count - 1;
        while (lo <= hi)
        {
            int mid = lo + (hi - lo) / 2;
            if (rPeaks[mid] == sample) return 0;
            if (sample < rPeaks[mid]) hi = mid - 1; else lo = mid + 1;
        }
        // lo is the first peak after the sample, hi the last before it.
        long after = lo < rPeaks.Count ? rPeaks[lo] - sample : long.MaxValue;
        long before = hi >= 0 ? sample - rPeaks[hi] : long.MaxValue;
        return Math.Min(after, before);
    }
}
