using Distill.Data;
using Distill.Data.Ecg;
using Distill.Tests.Reference;

namespace Distill.Tests.Data.Ecg;

/// <summary>BeatGAN segmentation of record 100 against tools/reference/ecg_reference.py (NumPy/SciPy).</summary>
public class BeatSegmenterTests
{
    private static readonly string Folder = Path.GetDirectoryName(ProjectData.File("mitdb", "100.hea"))!;
    private static readonly Lazy<EcgRecord> Record100 = new(() => EcgRecord.ReadWfdb(Folder, "100"));

    // Beats are stored as float32: 1e-6 absolute covers the rounding of values near zero.
    private const double Rel = 1e-5, Abs = 1e-6;

    // ecg_reference.py cuts every annotated beat, centred on its annotation.
    private static readonly BeatSegmentationOptions Annotated = BeatSegmentationOptions.AnnotationsOnly;

    [Fact]
    public void Record100CountsMatchTheReference()
    {
        var reference = ReferenceData.Load("ecg_record100.json");
        var result = BeatSegmenter.Segment(Record100.Value, Annotated);
        Assert.Equal(reference.GetProperty("beats").GetInt32(), result.Beats.Count);
        Assert.Equal(reference.GetProperty("dropped_at_edges").GetInt32(), result.DroppedAtEdges);
        Assert.Equal(0, result.DroppedFlat);
        var counts = result.CountByClass();
        foreach (var c in Enum.GetValues<AamiClass>())
            Assert.Equal(reference.GetProperty("counts").GetProperty(c.ToString()).GetInt32(), counts[c]);
        Assert.Equal(reference.GetProperty("first_beat_sample").GetInt64(), result.Beats[0].RPeak);
        Assert.Equal(reference.GetProperty("last_beat_sample").GetInt64(), result.Beats[^1].RPeak);
    }

    [Theory]
    [InlineData("raw_V", "V", AamiClass.V)]
    [InlineData("raw_A", "A", AamiClass.S)]
    public void BeatWindowsAreMinMaxScaledPerLead(string key, string symbol, AamiClass cls)
    {
        var expected = ReferenceData.Load("ecg_record100.json").GetProperty(key);
        var beat = BeatSegmenter.Segment(Record100.Value, Annotated).Beats.First(b => b.Symbol == symbol);
        Assert.Equal(expected.GetProperty("sample").GetInt64(), beat.RPeak);
        Assert.Equal(cls, beat.Class);
        Assert.Equal((2, 320), (beat.LeadCount, beat.Length));
        Tolerance.AssertClose(ReferenceData.Doubles(expected.GetProperty("leads")), beat.Samples.Select(v => (double)v).ToArray(), Rel, Abs, key);
        for (int l = 0; l < 2; l++)
        {
            Assert.Equal(-1f, beat.Lead(l).ToArray().Min(), 6);
            Assert.Equal(1f, beat.Lead(l).ToArray().Max(), 6);
        }
    }

    [Fact]
    public void BandPassMatchesScipyFirwinAndFiltfilt()
    {
        var reference = ReferenceData.Load("ecg_record100.json");
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("taps")), EcgFilter.FirBandPass(109, 3, 45, 360), 1e-9, 1e-12, "taps");

        var options = Annotated with { Filter = EcgBandPass.BioSppyFir3To45Hz };
        var beat = BeatSegmenter.Segment(Record100.Value, options).Beats.First(b => b.Symbol == "V");
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("filtered_V").GetProperty("leads")),
            beat.Samples.Select(v => (double)v).ToArray(), Rel, Abs, "filtered V beat");

        var filtered = EcgFilter.Apply(EcgBandPass.BioSppyFir3To45Hz, Record100.Value.Millivolts[1], 360);
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("filtered_mv_10000"))[400..],
            filtered[10000..10400], Rel, Abs, "filtered V5 mV (float32 reference)");
    }

    [Fact]
    public void MliiComesFirstWhenARecordStoresItSecond()
    {
        // Record 114 of MIT-BIH stores V5 before MLII; simulate it by rewriting record 100 with V5 first (format 16).
        using var folder = TempFolder.WithRecord100();
        short[][] digital = WfdbSignalReader.Read(WfdbHeaderParser.Read(folder.File("100.hea")), folder.Path);
        var bytes = new byte[digital[0].Length * 4];
        for (int i = 0; i < digital[0].Length; i++)
        {
            BitConverter.TryWriteBytes(bytes.AsSpan(4 * i), digital[1][i]);
            BitConverter.TryWriteBytes(bytes.AsSpan(4 * i + 2), digital[0][i]);
        }
        File.WriteAllBytes(folder.File("100.dat"), bytes);
        File.WriteAllText(folder.File("100.hea"),
            "100 2 360 650000\n100.dat 16 200 11 1024 1011 20052 0 V5\n100.dat 16 200 11 1024 995 -22131 0 MLII\n");
        var swapped = EcgRecord.ReadWfdb(folder.Path, "100");
        Assert.Equal(["V5", "MLII"], swapped.Leads);

        var expected = BeatSegmenter.Segment(Record100.Value).Beats[5];
        var actual = BeatSegmenter.Segment(swapped).Beats[5];
        Assert.Equal(expected.Samples, actual.Samples);
    }

    [Fact]
    public void WindowsLeavingTheSignalAreDroppedAndCounted()
    {
        var annotations = new[] { 139L, 140L, 680L, 681L }
            .Select(s => new MitAnnotation(s, 1, "N", 0, 0, 0, "")).Append(new MitAnnotation(500, 28, "+", 0, 0, 0, "")).ToList();
        var ramp = Enumerable.Range(0, 1000).Select(i => (float)Math.Sin(i / 10.0)).ToArray();
        var record = new EcgRecord("edge", 360, ["MLII"], [ramp], annotations);
        var result = BeatSegmenter.Segment(record, Annotated);
        // 140 - 140 = 0 and 680 + 180 = 860 fit; 139 starts before 0 and 681 + 180 = 861 fits, so only 139 is out.
        Assert.Equal([140L, 680L, 681L], result.Beats.Select(b => b.RPeak));
        Assert.Equal(1, result.DroppedAtEdges);
        // The authors' bound is R + 180 < length: a window ending on the last sample is dropped too.
        var end = record with { Millivolts = [ramp[..861]] };
        Assert.Equal([140L, 680L], BeatSegmenter.Segment(end, Annotated).Beats.Select(b => b.RPeak));

        var flat = new EcgRecord("flat", 360, ["MLII"], [new float[1000]], [annotations[1]]);
        Assert.Equal(1, BeatSegmenter.Segment(flat, Annotated).DroppedFlat);
    }

    [Fact]
    public void OtherSamplingRatesAreRejected()
    {
        var record = new EcgRecord("r", 250, ["MLII"], [new float[1000]], []);
        var error = Assert.Throws<ArgumentException>(() => BeatSegmenter.Segment(record));
        Assert.Contains("250 Hz", error.Message);
    }

    [Theory]
    [InlineData("N", AamiClass.N)] [InlineData("L", AamiClass.N)] [InlineData("R", AamiClass.N)]
    [InlineData("a", AamiClass.S)] [InlineData("J", AamiClass.S)] [InlineData("A", AamiClass.S)]
    [InlineData("S", AamiClass.S)] [InlineData("j", AamiClass.S)] [InlineData("e", AamiClass.S)]
    [InlineData("V", AamiClass.V)] [InlineData("E", AamiClass.V)] [InlineData("F", AamiClass.F)]
    [InlineData("/", AamiClass.Q)] [InlineData("f", AamiClass.Q)] [InlineData("Q", AamiClass.Q)]
    public void AamiClassesAreBeatGans(string symbol, AamiClass expected) => Assert.Equal(expected, AamiClasses.Of(symbol));

    [Theory]
    [InlineData("+")] [InlineData("~")] [InlineData("B")] [InlineData("n")] [InlineData("|")]
    public void NonBeatAnnotationsHaveNoClass(string symbol) => Assert.Null(AamiClasses.Of(symbol));
}
