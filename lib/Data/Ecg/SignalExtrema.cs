namespace Distill.Data.Ecg;

/// <summary>Local maxima and minima of a sampled signal as BioSPPy's <c>signals.tools.find_extrema</c> finds them.</summary>
/// <remarks>
/// BioSPPy (Carreiras C. et al., 2015-): indices k + 1 where diff(sign(diff(x)))[k] is negative (maxima) or positive
/// (minima). The end points are never extrema, and a flat top yields both its first and its last sample (a rise into a
/// plateau and the fall out of it each change the sign of the slope); the Hamilton segmenter relies on exactly this.
/// </remarks>
public static class SignalExtrema
{
    /// <summary>Indices of the local maxima of <paramref name="x"/>, ascending.</summary>
    public static List<int> Maxima(ReadOnlySpan<double> x) => Find(x, maxima: true);

    /// <summary>Indices of the local minima of <paramref name="x"/>, ascending.</summary>
    public static List<int> Minima(ReadOnlySpan<double> x) => Find(x, maxima: false);

    private static List<int> Find(ReadOnlySpan<double> x, bool maxima)
    {
        var found = new List<int>();
        for (int k = 0; k + 2 < x.Length; k++)
        {
            int change = Math.Sign(x[k + 2] - x[k + 1]) - Math.Sign(x[k + 1] - x[k]);
            if (maxima ? change < 0 : change > 0) found.Add(k + 1);
        }
        return found;
    }
}
