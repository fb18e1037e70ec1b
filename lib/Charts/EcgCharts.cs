using Distill.Data.Ecg;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Distill.Charts;

/// <summary>Plotly.NET charts of ECG beats and records for the notebooks.</summary>
public static class EcgCharts
{
    /// <summary>Fixed colours per AAMI class so every chart reads the same way.</summary>
    public static Color ClassColor(AamiClass c) => c switch
    {
        AamiClass.N => Color.fromHex("#1f77b4"),
        AamiClass.S => Color.fromHex("#2ca02c"),
        AamiClass.V => Color.fromHex("#d62728"),
        AamiClass.F => Color.fromHex("#9467bd"),
        AamiClass.Q => Color.fromHex("#7f7f7f"),
        _ => throw new ArgumentOutOfRangeException(nameof(c), c, "Unknown AAMI class."),
    };

    /// <summary>Beats of one lead overlaid, one colour and legend entry per AAMI class, time in ms from the R peak.</summary>
    /// <param name="beats">Segmented beats (any mix of classes).</param>
    /// <param name="lead">Lead to draw (0 = MLII for MIT-BIH).</param>
    /// <param name="maxPerClass">At most this many beats per class are drawn (the first ones), to keep the chart light.</param>
    /// <param name="before">Samples before the R peak in each window (BeatGAN: 140), to put t = 0 at the R peak.</param>
    /// <param name="samplingFrequency">Sampling rate of the beats, for the time axis.</param>
    public static GenericChart BeatsByClass(IReadOnlyList<EcgBeat> beats, int lead = 0, int maxPerClass = 30, int before = 140, double samplingFrequency = 360)
    {
        if (beats.Count == 0) throw new ArgumentException("No beats to draw.", nameof(beats));
        if (maxPerClass < 1) throw new ArgumentOutOfRangeException(nameof(maxPerClass), maxPerClass, "Draw at least one beat per class.");
        var traces = new List<GenericChart>();
        foreach (var group in beats.GroupBy(b => b.Class).OrderBy(g => g.Key))
        {
            var chosen = group.Take(maxPerClass).ToList();
            string name = $"{group.Key} ({chosen.Count} of {group.Count()})";
            // One trace per beat, grouped per class so one legend entry shows or hides the whole class.
            for (int i = 0; i < chosen.Count; i++)
            {
                var samples = chosen[i].Lead(lead).ToArray();
                traces.Add(Chart.Line<double, float, string>(
                        Enumerable.Range(0, samples.Length).Select(t => (t - before) * 1000.0 / samplingFrequency), samples,
                        Name: name, ShowLegend: i == 0, LineColor: ClassColor(group.Key), Opacity: 0.4, LineWidth: 1.0)
                    .WithTraceInfo(LegendGroup: group.Key.ToString()));
            }
        }
        return Titled(Chart.Combine(traces), "Beats by AAMI class", "time from R peak (ms)", $"lead {lead}, scaled");
    }

    private static GenericChart Titled(GenericChart chart, string title, string x, string y) =>
        chart.WithXAxisStyle<double, double, string>(TitleText: x).WithYAxisStyle<double, double, string>(TitleText: y)
            .WithTitle(title).FullWidth().LegendBelow();

    /// <summary>A stretch of one lead in mV with its annotations marked by symbol at their samples.</summary>
    /// <param name="record">The record to draw.</param>
    /// <param name="startSeconds">Start of the strip.</param>
    /// <param name="seconds">Length of the strip.</param>
    /// <param name="lead">Lead to draw.</param>
    public static GenericChart RecordStrip(EcgRecord record, double startSeconds = 0, double seconds = 10, int lead = 0)
    {
        if (lead < 0 || lead >= record.Leads.Count)
            throw new ArgumentOutOfRangeException(nameof(lead), lead, $"Record '{record.Name}' has {record.Leads.Count} leads.");
        double fs = record.SamplingFrequency;
        int start = (int)Math.Round(startSeconds * fs), end = Math.Min(record.Length, start + (int)Math.Round(seconds * fs));
        if (start < 0 || start >= end)
            throw new ArgumentOutOfRangeException(nameof(startSeconds), $"The strip [{startSeconds}, {startSeconds + seconds}) s lies outside record '{record.Name}' ({record.Length / fs:F1} s).");
        var signal = record.Millivolts[lead];
        var line = Chart.Line<double, float, string>(
            Enumerable.Range(start, end - start).Select(i => i / fs), signal[start..end],
            Name: record.Leads[lead], LineColor: Color.fromString("black"), LineWidth: 1.0);
        var marks = record.Annotations.Where(a => a.Sample >= start && a.Sample < end).ToList();
        var points = Chart.Point<double, float, string>(
            marks.Select(a => a.Sample / fs), marks.Select(a => signal[a.Sample]),
            Name: "annotations", MultiText: marks.Select(a => a.Symbol).ToList(),
            TextPosition: StyleParam.TextPosition.TopCenter,
            MarkerColor: Color.fromColors(marks.Select(a => AamiClasses.Of(a.Symbol) is AamiClass c ? ClassColor(c) : Color.fromString("orange"))));
        return Titled(Chart.Combine([line, points]), $"Record {record.Name}, {startSeconds:0.#}-{end / fs:0.#} s", "time (s)", $"{record.Leads[lead]} (mV)");
    }
}
