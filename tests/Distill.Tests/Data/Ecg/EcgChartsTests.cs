using Distill.Charts;
using Distill.Data;
using Distill.Data.Ecg;
using Plotly.NET;
using Plotly.NET.CSharp;

namespace Distill.Tests.Data.Ecg;

public class EcgChartsTests
{
    private static readonly Lazy<EcgRecord> Record100 =
        new(() => EcgRecord.ReadWfdb(Path.GetDirectoryName(ProjectData.File("mitdb", "100.hea"))!, "100"));

    [Fact]
    public void BeatsAreOverlaidPerClassWithOneLegendEntryEach()
    {
        var beats = BeatSegmenter.Segment(Record100.Value).Beats;
        var chart = EcgCharts.BeatsByClass(beats, maxPerClass: 5);
        // Record 100 has N, S and V beats: 5 + 5 + 1 traces.
        Assert.Equal(11, chart.GetTraces().Count());
        string json = GenericChart.toJson(chart);
        Assert.Contains("N (5 of 2237)", json);
        Assert.Contains("S (5 of 33)", json);
        Assert.Contains("V (1 of 1)", json);
        Assert.Contains("time from R peak (ms)", json);
        Assert.Throws<ArgumentException>(() => EcgCharts.BeatsByClass([]));
    }

    [Fact]
    public void StripMarksTheAnnotationsInsideIt()
    {
        var chart = EcgCharts.RecordStrip(Record100.Value, startSeconds: 0, seconds: 5);
        Assert.Equal(2, chart.GetTraces().Count());
        string json = GenericChart.toJson(chart);
        // 0-5 s of record 100 holds the '+' at sample 18 and the first beats.
        int inside = Record100.Value.Annotations.Count(a => a.Sample < 1800);
        Assert.True(inside > 3);
        Assert.Contains("\"+\"", json);
        Assert.Contains("MLII (mV)", json);
        Assert.Throws<ArgumentOutOfRangeException>(() => EcgCharts.RecordStrip(Record100.Value, startSeconds: 5000));
    }
}
