namespace Distill.Data.Ecg;

/// <summary>Options of BeatGAN's beat segmentation; the defaults are the BeatGAN authors' preprocessing.</summary>
/// <param name="Before">Samples before the R peak (140 at 360 Hz).</param>
/// <param name="After">Samples from the R peak on (180 at 360 Hz), so a window is [R - 140, R + 180): 320 samples.</param>
/// <param name="SamplingFrequency">The rate the window is defined at; records at another rate are rejected.</param>
/// <param name="Filter">Band-pass filter applied to each whole lead before cutting (the authors': BioSPPy's; see <see cref="EcgBandPass"/>).</param>
/// <param name="Selection">Which annotated beats to keep (the authors': N beats only where BioSPPy's detector confirms the R peak).</param>
/// <param name="RPeakTolerance">With <see cref="BeatSelection.ConfirmedNormalBeats"/>: an N beat is kept when the nearest
/// detected R peak is fewer than this many samples from the annotation (the authors' 10).</param>
/// <param name="AnnotationOffset">Samples added to every annotated R-peak position before cutting and matching. The
/// authors' is 1: they read the annotations through MATLAB's WFDB toolbox, whose <c>rdann</c> numbers samples from 1,
/// and used those numbers as 0-based NumPy indices, so their windows and their R-peak test are one sample late. Only with
/// this shift do the counts equal theirs (MIT-BIH, 44 records: 86,717 N beats kept, as in their fold 0; 86,897 without).</param>
public sealed record BeatSegmentationOptions(
    int Before = 140, int After = 180, double SamplingFrequency = 360, EcgBandPass Filter = EcgBandPass.BioSppyFir3To45Hz,
    BeatSelection Selection = BeatSelection.ConfirmedNormalBeats, int RPeakTolerance = 10, int AnnotationOffset = 1)
{
    /// <summary>Samples per beat window.</summary>
    public int Length => Before + After;

    /// <summary>The BeatGAN authors' preprocessing: BioSPPy's band-pass, N beats confirmed by BioSPPy's R-peak detector.</summary>
    public static BeatSegmentationOptions BeatGanAuthors { get; } = new();

    /// <summary>Every annotated beat, centred on its annotation and cut from the recorded (unfiltered) signal.</summary>
    public static BeatSegmentationOptions AnnotationsOnly { get; } =
        new(Filter: EcgBandPass.None, Selection: BeatSelection.AllAnnotatedBeats, AnnotationOffset: 0);
}

/// <summary>Cuts annotated beats out of an ECG record the way BeatGAN prepares MIT-BIH.</summary>
/// <remarks>
/// Zhou B. et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019,
/// Section 4.1, and the authors' preprocessing script: each lead is band-passed by BioSPPy's <c>ecg.ecg</c>
/// (<see cref="EcgFilter"/>), which also detects R peaks on the first lead (<see cref="BioSppyEcg"/>); every beat
/// annotation of an AAMI class (<see cref="AamiClasses"/>) at sample R gives a window [R' - 140, R' + 180) of both
/// filtered leads at 360 Hz, R' = R + 1 (<see cref="BeatSegmentationOptions.AnnotationOffset"/>: the authors' 1-based
/// annotation numbers), kept when R' - 140 >= 0 and R' + 180 &lt; the record's length (the authors' bounds, one sample
/// stricter at the end than the window needs; on MIT-BIH this drops no beat); an N beat is kept only when a detected R
/// peak lies within 10 samples of R' (<see cref="BeatSelection"/>). Each lead of each beat is then min-max scaled to [-1, 1] as 2 (x - min) / (max - min) - 1
/// (<see cref="BeatScaling"/>; the authors scale in their data loader, the same arithmetic). MLII is put first when a
/// record has it: in MIT-BIH only record 114 stores it second, and the authors swap that record's leads.
/// </remarks>
public static class BeatSegmenter
{
    /// <summary>Segments every AAMI-class beat of <paramref name="record"/>.</summary>
    public static BeatSegmentation Segment(EcgRecord record, BeatSegmentationOptions? options = null)
    {
        options ??= BeatSegmentationOptions.BeatGanAuthors;
        if (options.Before < 0 || options.After < 1)
            throw new ArgumentOutOfRangeException(nameof(options), $"Window [R - {options.Before}, R + {options.After}) is empty or inverted; use positive sample counts.");
        if (options.RPeakTolerance < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.RPeakTolerance, "RPeakTolerance must be at least 1 sample (the authors use 10).");
        if (Math.Abs(record.SamplingFrequency - options.SamplingFrequency) > 1e-9)
            throw new ArgumentException(
                $"Record '{record.Name}' is sampled at {record.SamplingFrequency} Hz but the beat window is defined at {options.SamplingFrequency} Hz. " +
                "Resample the record or set BeatSegmentationOptions.SamplingFrequency and the window to match.", nameof(record));

        int[] order = LeadOrder(record.Leads);
        var detection = options.Selection switch
        {
            BeatSelection.ConfirmedNormalBeats => BioSppyEcg.Process(record.Millivolts[order[0]], record.SamplingFrequency),
            BeatSelection.AllAnnotatedBeats => null,
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.Selection, "Unknown beat selection."),
        };
        var leads = order.Select((l, i) => i == 0 && detection is not null && options.Filter == EcgBandPass.BioSppyFir3To45Hz
            ? detection.Filtered
            : EcgFilter.Apply(options.Filter, record.Millivolts[l], record.SamplingFrequency)).ToArray();

        int length = options.Length, edges = 0, flat = 0, unconfirmed = 0;
        var beats = new List<EcgBeat>();
        foreach (var annotation in record.Annotations)
        {
            if (AamiClasses.Of(annotation.Symbol) is not AamiClass cls) continue;
            long position = annotation.Sample + options.AnnotationOffset, start = position - options.Before;
            if (start < 0 || position + options.After >= record.Length) { edges++; continue; }
            if (cls == AamiClass.N && detection is not null &&
                !(NearestRPeak.Distance(detection.RPeaks, position) < options.RPeakTolerance)) { unconfirmed++; continue; }
            var samples = new float[leads.Length * length];
            bool usable = true;
            for (int l = 0; l < leads.Length && usable; l++)
                usable = BeatScaling.MinMaxToUnitRange(leads[l].AsSpan((int)start, length), samples.AsSpan(l * length, length));
            if (!usable) { flat++; continue; }
            beats.Add(new EcgBeat(record.Name, annotation.Sample, annotation.Symbol, cls, samples, leads.Length, length));
        }
        return new BeatSegmentation(beats, edges, flat, unconfirmed);
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
