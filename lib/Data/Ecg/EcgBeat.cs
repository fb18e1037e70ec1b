namespace Distill.Data.Ecg;

/// <summary>One segmented heartbeat: a fixed window around an annotated R peak, every lead min-max scaled to [-1, 1].</summary>
/// <param name="Record">Name of the record the beat comes from.</param>
/// <param name="RPeak">Sample index of the annotated R peak in the record (the window is centred on RPeak +
/// <see cref="BeatSegmentationOptions.AnnotationOffset"/>).</param>
/// <param name="Symbol">The MIT annotation symbol (e.g. <c>N</c>, <c>A</c>, <c>V</c>).</param>
/// <param name="Class">The AAMI class of <paramref name="Symbol"/>.</param>
/// <param name="Samples">Scaled samples, lead-major: [lead * <paramref name="Length"/> + t].</param>
/// <param name="LeadCount">Number of leads in <paramref name="Samples"/>.</param>
/// <param name="Length">Samples per lead (320 for BeatGAN's window).</param>
public sealed record EcgBeat(string Record, long RPeak, string Symbol, AamiClass Class, float[] Samples, int LeadCount, int Length)
{
    /// <summary>The samples of one lead.</summary>
    public ReadOnlySpan<float> Lead(int lead) =>
        lead >= 0 && lead < LeadCount
            ? Samples.AsSpan(lead * Length, Length)
            : throw new ArgumentOutOfRangeException(nameof(lead), lead, $"The beat has {LeadCount} leads (0..{LeadCount - 1}).");
}

/// <summary>The beats cut from one or more records, with the number of annotated beats that could not be used.</summary>
/// <param name="Beats">Segmented beats in record and sample order.</param>
/// <param name="DroppedAtEdges">Beats whose window would leave the signal (at its start or end).</param>
/// <param name="DroppedFlat">Beats with a constant lead, which min-max scaling cannot map to [-1, 1].</param>
/// <param name="DroppedUnconfirmed">N beats without a detected R peak near the annotation
/// (<see cref="BeatSelection.ConfirmedNormalBeats"/>; 0 when every annotated beat is kept).</param>
public sealed record BeatSegmentation(IReadOnlyList<EcgBeat> Beats, int DroppedAtEdges, int DroppedFlat, int DroppedUnconfirmed = 0)
{
    /// <summary>Number of beats per AAMI class (every class present, zero when absent).</summary>
    public IReadOnlyDictionary<AamiClass, int> CountByClass() =>
        Enum.GetValues<AamiClass>().ToDictionary(c => c, c => Beats.Count(b => b.Class == c));

    /// <summary>Joins the segmentations of several records.</summary>
    public static BeatSegmentation Concat(IEnumerable<BeatSegmentation> parts)
    {
        var list = parts.ToList();
        return new BeatSegmentation(list.SelectMany(p => p.Beats).ToList(), list.Sum(p => p.DroppedAtEdges), list.Sum(p => p.DroppedFlat),
            list.Sum(p => p.DroppedUnconfirmed));
    }
}
