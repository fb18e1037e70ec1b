using Distill.Data;
using Distill.Data.Ecg;

namespace Distill.Tests.Data.Ecg;

/// <summary>Record 100 against the independently computed facts in data/mitdb/README.md.</summary>
public class WfdbRecord100Tests
{
    private static readonly string Folder = Path.GetDirectoryName(ProjectData.File("mitdb", "100.hea"))!;

    [Fact]
    public void HeaderWithCommentsAndBlankLinesGivesTheRecordLineAndBothSignals()
    {
        var header = WfdbHeaderParser.Read(ProjectData.File("mitdb", "100.hea"));
        Assert.Equal("100", header.RecordName);
        Assert.Equal(360.0, header.SamplingFrequency);
        Assert.Equal(650000, header.SamplesPerSignal);
        Assert.Equal(["MLII", "V5"], header.Signals.Select(s => s.Description));
        Assert.All(header.Signals, s =>
        {
            Assert.Equal("100.dat", s.FileName);
            Assert.Equal(212, s.Format);
            Assert.Equal(200.0, s.Gain);
            Assert.Equal(1024, s.Baseline);
            Assert.Equal(11, s.AdcResolution);
            Assert.Equal("mV", s.Units);
        });
        Assert.Equal([995, 1011], header.Signals.Select(s => s.InitialValue));
        Assert.Equal([(short)-22131, (short)20052], header.Signals.Select(s => s.Checksum));
        Assert.Equal(["unnecessary comment", "69 M 1085 1629 x1", "Aldomet, Inderal"], header.Comments);
    }

    [Fact]
    public void Format212SamplesHaveTheStatedLengthFirstValuesAndChecksums()
    {
        var header = WfdbHeaderParser.Read(ProjectData.File("mitdb", "100.hea"));
        short[][] samples = WfdbSignalReader.Read(header, Folder);
        Assert.Equal(2, samples.Length);
        Assert.All(samples, s => Assert.Equal(650000, s.Length));
        Assert.Equal(995, samples[0][0]);
        Assert.Equal(1011, samples[1][0]);
        // Independent of the reader's own check: the 16-bit wrapped sum of every sample.
        Assert.Equal(-22131, (short)samples[0].Sum(v => (long)v));
        Assert.Equal(20052, (short)samples[1].Sum(v => (long)v));
        // 11-bit ADC: every value lies in [0, 2047].
        Assert.All(samples, s => Assert.InRange(s.Min(), (short)0, (short)2047));
        Assert.All(samples, s => Assert.InRange(s.Max(), (short)0, (short)2047));
    }

    [Fact]
    public void RecordIsInMillivoltsFromGainAndBaseline()
    {
        var record = EcgRecord.ReadWfdb(Folder, "100");
        Assert.Equal(["MLII", "V5"], record.Leads);
        Assert.Equal(650000, record.Length);
        Assert.Equal((995 - 1024) / 200.0, record.Millivolts[0][0], 6);
        Assert.Equal((1011 - 1024) / 200.0, record.Millivolts[1][0], 6);
    }

    [Fact]
    public void AnnotationsMatchTheDatabaseCounts()
    {
        var annotations = MitAnnotationReader.Read(ProjectData.File("mitdb", "100.atr"), 650000);
        Assert.Equal(2274, annotations.Count);
        var counts = annotations.GroupBy(a => a.Symbol).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(4, counts.Count);
        Assert.Equal(2239, counts["N"]);
        Assert.Equal(33, counts["A"]);
        Assert.Equal(1, counts["V"]);
        Assert.Equal(1, counts["+"]);
        var plus = annotations.Single(a => a.Symbol == "+");
        Assert.Equal(18, plus.Sample);
        Assert.Equal("(N", plus.Aux);
        Assert.Equal(77, annotations.First(a => a.Symbol == "N").Sample);
        Assert.True(annotations.Zip(annotations.Skip(1)).All(p => p.First.Sample <= p.Second.Sample), "annotations must be in sample order");
    }
}
