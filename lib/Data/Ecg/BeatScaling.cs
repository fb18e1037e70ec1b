namespace Distill.Data.Ecg;

/// <summary>BeatGAN's per-beat, per-lead scaling of a window to [-1, 1].</summary>
/// <remarks>Zhou B. et al., BeatGAN, IJCAI 2019, data loader: <c>2 (x - min) / (max - min) - 1</c> over each lead of each
/// beat, in float64 (the authors scale NumPy float64 windows and then make float32 tensors).</remarks>
public static class BeatScaling
{
    /// <summary>Writes 2 (x - min) / (max - min) - 1 into <paramref name="scaled"/>; false (nothing written) when the window is constant.</summary>
    public static bool MinMaxToUnitRange(ReadOnlySpan<double> window, Span<float> scaled)
    {
        if (scaled.Length != window.Length)
            throw new ArgumentException($"Output holds {scaled.Length} samples, the window {window.Length}.", nameof(scaled));
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (double v in window)
        {
            if (double.IsNaN(v)) throw new ArgumentException("The window contains NaN; check the record for invalid samples.", nameof(window));
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        if (!(max > min)) return false;
        double factor = 2.0 / (max - min);
        for (int t = 0; t < window.Length; t++) scaled[t] = (float)((window[t] - min) * factor - 1.0);
        return true;
    }
}
