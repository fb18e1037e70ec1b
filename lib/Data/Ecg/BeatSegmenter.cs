namespace Distill.Data.Ecg;

/// <summary>Options of BeatGAN's beat segmentation; the defaults are the paper's.</summary>
/// <param name="Before">Samples before the R peak (140 at 360 Hz).</param>
/// <param name="After">Samples from the R peak on (180 at 360 Hz), so a window is [R - 140, R + 180): 320 samples.</param>
/// <param name="SamplingFrequency">The rate the window is defined at; records at another rate are rejected.</param>
/// <param name="Filter">Band-pass filter applied to each whole lead before cutting (none by default; see <see cref="EcgBandPass"/>).</param>
public sealed record BeatSegmentationOptions(
    int Before = 140, int After = 180, double SamplingFrequency = 360, EcgBandPass Filter = EcgBandPass.None)
{
    /// <summary>Samples per beat window.</summary>
    public int Length => Before + After;
}

/// <summary>Cuts annotated beats out of an ECG record the way BeatGAN prepares MIT-BIH.</summary>
/// <remarks>
/// Zhou B. et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019,
/// Section 4.1: every beat annotation of an AAMI class (<see cref="AamiClasses"/>) gives a window [R - 140, R + 180)
/// of both leads at 360 Hz, and each lead of each beat is min-max scaled to [-1, 1] as 2 (x - min) / (max - min) - 1.
/// MLII is put first when a record has it: in MIT-BIH only record 114 stores it second, and the authors swap that
/// record's leads. Windows that would leave the signal are dropped and counted (the authors also drop a window ending
/// exactly at the last sample; we keep it). Deviation: the authors filter with BioSPPy and drop N beats without a
/// detected R peak within 10 samples; here filtering is optional (<see cref="EcgBandPass"/>) and annotations are trusted.
/// </remarks>
public static class BeatSegmenter
{
    /// <summary>Segments every AAMI-class beat of <paramref name="record"/>.</summary>
    public static BeatSegmentation Segment(EcgRecord record, BeatSegmentationOptions? options = null)
    {
        options ??= new BeatSegmentationOptions();
        if (options.Before < 0 || options.After < 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"Window [R - {options.Before}, R + {options.After}) is empty or inverted; use positive sample counts.");
        if (Math.Abs(record.SamplingFrequency - options.SamplingFrequency) > 1e-9)
            throw new ArgumentException(
                $"Record '{record.Name}' is sampled at {record.SamplingFrequency} Hz but the beat window is defined at {options.SamplingFrequency} Hz. " +
                "Resample the record or set BeatSegmentationOptions.SamplingFrequency and the window to match.", nameof(record));

        int[] order = LeadOrder(record.Leads);
        var leads = order.Select(l => EcgFilter.Apply(options.Filter, record.Millivolts[l], record.SamplingFrequency)).ToArray();
        int length = options.Length, edges = 0, flat = 0;
        var beats = new List<EcgBeat>();
        foreach (var annotation in record.Annotations)
        {
            if (AamiClasses.Of(annotation.Symbol) is not AamiClass cls) continue;
            long start = annotation.Sample - options.Before;
            if (start < 0 || start + length > record.Length) { edges++; continue; }
            var samples = new float[leads.Length * length];
            bool usable = true;
            for (int l = 0; l < leads.Length && usable; l++)
                usable = BeatScaling.MinMaxToUnitRange(leads[l].AsSpan((int)start, length), samples.AsSpan(l * length, length));
            if (!usable) { flat++; continue; }
            beats.Add(new EcgBeat(record.Name, annotation.Sample, annotation.Symbol, cls, samples, leads.Length, length));
        }
        return new BeatSegmentation(beats, edges, flat);
    }

    /// <summary>Lead order that puts MLII first (record 114 of MIT-BIH stores it second), others in file order.</summary>
    public static int[] LeadOrder(IReadOnlyList<string> leads)
    {
        int mlii = leads.ToList().FindIndex(l => l.Trim() == "MLII");
        return mlii <= 0
            ? Enumerable.Range(0, leads.Count).ToArray()
            : [mlii, .. Enumerable.Range(0, leads.Count).Where(i => i != mlii)];
    }
}
