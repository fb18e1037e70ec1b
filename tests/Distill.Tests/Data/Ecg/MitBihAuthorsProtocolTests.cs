using System.Diagnostics;
using Distill.Data.Ecg;
using Distill.Tests.Reference;
using Xunit.Abstractions;

namespace Distill.Tests.Data.Ecg;

/// <summary>The authors' protocol on the whole database (44 records): per record against the Python original
/// (tools/reference/biosppy_reference.py), and fold 0 against the counts of the BeatGAN authors' own run.</summary>
public class MitBihAuthorsProtocolTests(ITestOutputHelper output)
{
    [FullMitBihFact]
    public void RPeaksAndKeptBeatsOfEveryRecordAndFoldZeroCountsMatch()
    {
        var reference = ReferenceData.Load("biosppy_mitdb_counts.json").GetProperty("records");
        var source = MitBihSource.Locate(FullMitBih.Folder);
        Assert.Equal(44, source.Records.Count);
        var watch = Stopwatch.StartNew();
        var perRecord = source.ReadRecords().Select(r => (r.Name, Beats: BeatSegmenter.Segment(r))).ToList();
        output.WriteLine($"read and segmented 44 records in {watch.Elapsed.TotalSeconds:F1} s");

        var differences = new List<string>();
        foreach (var record in source.ReadRecords())
        {
            var peaks = BioSppyEcg.Process(record.Millivolts[BeatSegmenter.LeadOrder(record.Leads)[0]], record.SamplingFrequency).RPeaks;
            var expected = reference.GetProperty(record.Name).GetProperty("rpeaks");
            var digest = (Count: peaks.Length, Sum: peaks.Sum(p => (long)p), Hash: peaks.Select((p, i) => (i + 1L) * p).Sum() % 2147483647);
            var want = (expected.GetProperty("count").GetInt32(), expected.GetProperty("sum").GetInt64(), expected.GetProperty("hash").GetInt64());
            if (digest != want) differences.Add($"{record.Name}: R peaks (count, sum, hash) {digest}, BioSPPy {want}");
        }
        foreach (var (name, segmentation) in perRecord)
        {
            var expected = reference.GetProperty(name);
            var counts = segmentation.CountByClass();
            foreach (var c in Enum.GetValues<AamiClass>())
            {
                int want = expected.GetProperty("kept").GetProperty(c.ToString()).GetInt32();
                if (counts[c] != want) differences.Add($"{name} {c}: {counts[c]} kept, BioSPPy/authors {want}");
            }
            int unconfirmed = expected.GetProperty("unconfirmed_n").GetInt32(), edges = expected.GetProperty("dropped_at_edges").GetInt32();
            if (segmentation.DroppedUnconfirmed != unconfirmed) differences.Add($"{name}: {segmentation.DroppedUnconfirmed} unconfirmed N, expected {unconfirmed}");
            if (segmentation.DroppedAtEdges != edges) differences.Add($"{name}: {segmentation.DroppedAtEdges} dropped at edges, expected {edges}");
        }
        Assert.True(differences.Count == 0, string.Join("\n", differences));

        // The authors' run (../shared/data/mitdb-1.0.0/README.md): train 62,436; validation 8,025; test N 17,343, S 2,723,
        // V 6,307, F 721, Q 13. Their shuffle is unseeded, so which beats are in a fold differs; how many does not.
        var split = BeatGanFolds.Split(BeatSegmentation.Concat(perRecord.Select(p => p.Beats)).Beats, 0);
        Assert.Equal(62_436, split.Train.Count);
        Assert.Equal(8_025, split.Validation.Count);
        var test = split.Test.GroupBy(b => b.Class).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal([17_343, 2_723, 6_307, 721, 13], Enum.GetValues<AamiClass>().Select(c => test[c]));

        // Every annotated beat instead (counted independently with tools/reference/ecg_reference.py's WFDB readers).
        var annotated = BeatGanFolds.Split(source.Segment(BeatSegmentationOptions.AnnotationsOnly).Beats, 0);
        Assert.Equal((64_682, 8_274, 17_967), (annotated.Train.Count, annotated.Validation.Count, annotated.Test.Count(b => b.Class == AamiClass.N)));
    }
}
