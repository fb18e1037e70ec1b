using System.Text.Json;
using Distill.Data;
using Distill.Data.Ecg;
using Distill.Tests.Reference;

namespace Distill.Tests.Data.Ecg;

/// <summary>The port of BioSPPy's ECG pipeline against tools/reference/biosppy_reference.py (BioSPPy 0.6.1, SciPy) on record 100.</summary>
public class BioSppyEcgTests
{
    private static readonly string Folder = Path.GetDirectoryName(ProjectData.File("mitdb", "100.hea"))!;
    private static readonly Lazy<EcgRecord> Record100 = new(() => EcgRecord.ReadWfdb(Folder, "100"));
    private static readonly Lazy<JsonElement> Reference = new(() => ReferenceData.Load("biosppy_record100.json"));

    private static float[] Mlii => Record100.Value.Millivolts[0];

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    private static JsonElement Stressed => Reference.Value.GetProperty("stressed");

    /// <summary>biosppy_reference.py's stressed(): 360 s of MLII altered in 30 s blocks (inverted, faint, noisy, spiky, ramped,
    /// wandering, intermittently faint, then sweeps across the detection threshold, the polarity choice and the T-wave rule)
    /// with only exactly reproducible arithmetic, rounded to float32.</summary>
    private static readonly Lazy<float[]> Stress = new(() =>
    {
        const int b = 30 * 360;
        var original = Mlii.Take(12 * b).Select(v => (double)v).ToArray();
        var x = (double[])original.Clone();
        long state = 12345;
        for (int i = 0; i < x.Length; i++)
        {
            switch (i / b)
            {
                case 1: x[i] = -x[i]; break;
                case 2: x[i] = 0.15 * x[i]; break;
                case 3:
                    state = (state * 1103515245 + 12345) % 2147483648;
                    x[i] += (state / 2147483648.0 - 0.5) * 0.6;
                    break;
                case 4: x[i] += (i - 4 * b) % 252 == 0 ? 3.0 : 0.0; break;
                case 5: x[i] *= 1 + 2.0 * (i - 5 * b) / b; break;
                case 6:
                    double phase = i % 720 / 720.0;
                    x[i] += phase < 0.5 ? 4 * phase - 1 : 3 - 4 * phase;
                    break;
                case 7: if (i / 720 % 2 == 1) x[i] = 0.3 * x[i]; break;
                case 8: if (i / 360 % 2 == 1) x[i] = (0.3 + 0.5 * (i - 8 * b) / b) * x[i]; break;
                case 9: x[i] -= 1.5 * (i - 9 * b) / b * original[i - 20]; break;
                case 10: x[i] += 1.2 * (i - 10 * b) / b * original[i - 90]; break;
            }
        }
        return x.Select(v => (float)v).ToArray();
    });

    [Theory]
    [InlineData("butter_lowpass_25", 25, FilterBand.Lowpass)]
    [InlineData("butter_highpass_3", 3, FilterBand.Highpass)]
    public void ButterworthCoefficientsAndSteadyStateAreScipys(string key, double cutoff, FilterBand band)
    {
        var expected = Reference.Value.GetProperty(key);
        var (b, a) = Butterworth.Design(4, cutoff, 360, band);
        Tolerance.AssertClose(ReferenceData.Doubles(expected.GetProperty("b")), b, 1e-12, 1e-15, key + " b");
        Tolerance.AssertClose(ReferenceData.Doubles(expected.GetProperty("a")), a, 1e-12, 1e-15, key + " a");
        Tolerance.AssertClose(ReferenceData.Doubles(expected.GetProperty("zi")), LinearFilter.LFilterZi(b, a), 1e-9, 1e-12, key + " zi");
    }

    [Fact]
    public void ZeroPhaseIirFilteringIsScipysFiltfilt()
    {
        var expected = Reference.Value.GetProperty("butter_filtfilt_2000");
        var input = ReferenceData.Doubles(expected.GetProperty("input"));
        var (b, a) = Butterworth.Design(4, 25, 360, FilterBand.Lowpass);
        Tolerance.AssertClose(ReferenceData.Doubles(expected.GetProperty("output")), LinearFilter.FiltFilt(b, a, input), 1e-10, 1e-12, "filtfilt");
    }

    [Fact]
    public void FirShortcutEqualsTheGeneralRecursion()
    {
        // An FIR filter written with a trailing zero denominator coefficient takes the general recursion, [1] the shortcut.
        var taps = EcgFilter.FirBandPass(109, 3, 45, 360);
        var x = Mlii.Take(5000).Select(v => (double)v).ToArray();
        var zi = LinearFilter.LFilterZi(taps, [1.0]).Select(v => v * x[0]).ToArray();
        var shortcut = LinearFilter.LFilter(taps, [1.0], x, zi);
        var general = LinearFilter.LFilter([.. taps, 0.0], [1.0, .. new double[108], 1e-300], x, [.. zi, 0.0]);
        Tolerance.AssertClose(general, shortcut, 1e-12, 1e-14, "FIR shortcut");
    }

    [Fact]
    public void UnrolledFourthOrderRecursionEqualsTheGeneralOne()
    {
        // A trailing zero coefficient makes the same filter take the general loop.
        var (b, a) = Butterworth.Design(4, 3, 360, FilterBand.Highpass);
        var x = Mlii.Take(5000).Select(v => (double)v).ToArray();
        var zi = LinearFilter.LFilterZi(b, a);
        var unrolled = LinearFilter.LFilter(b, a, x, zi);
        var general = LinearFilter.LFilter([.. b, 0.0], [.. a, 0.0], x, [.. zi, 0.0]);
        Assert.Equal(general, unrolled);
    }

    [Fact]
    public void FilteredLeadIsBioSppys()
    {
        var filtered = EcgFilter.Apply(EcgBandPass.BioSppyFir3To45Hz, Mlii, 360);
        foreach (var window in Reference.Value.GetProperty("filtered_mlii").EnumerateObject())
        {
            int start = int.Parse(window.Name);
            var expected = ReferenceData.Doubles(window.Value);
            Tolerance.AssertClose(expected, filtered.AsSpan(start, expected.Length).ToArray(), 1e-11, 1e-13, $"filtered MLII from {start}");
        }
    }

    [Fact]
    public void HamiltonSegmenterFindsBioSppysPeaks()
    {
        var filtered = EcgFilter.Apply(EcgBandPass.BioSppyFir3To45Hz, Mlii, 360);
        Assert.Equal(Ints(Reference.Value.GetProperty("hamilton_rpeaks")), HamiltonSegmenter.Detect(filtered, 360));
    }

    [Fact]
    public void EveryStageMatchesBioSppyOnTheStressedSignal()
    {
        var filtered = EcgFilter.Apply(EcgBandPass.BioSppyFir3To45Hz, Stress.Value, 360);
        var detected = HamiltonSegmenter.Detect(filtered, 360);
        Assert.Equal(Ints(Stressed.GetProperty("hamilton_rpeaks")), detected);
        Assert.Equal(Ints(Stressed.GetProperty("corrected_rpeaks")), RPeakCorrection.Correct(filtered, detected, 18));
        Assert.Equal(Ints(Stressed.GetProperty("ecg_rpeaks")), BioSppyEcg.Process(Stress.Value, 360).RPeaks);
    }

    [Fact]
    public void AuthorsSelectionOnTheStressedSignalDropsTheUnconfirmedNormalBeats()
    {
        int length = Stress.Value.Length;
        var record = Record100.Value with
        {
            Millivolts = [Stress.Value, Record100.Value.Millivolts[1][..length]],
            Annotations = Record100.Value.Annotations.Where(a => a.Sample < length).ToList(),
        };
        var result = BeatSegmenter.Segment(record, BeatSegmentationOptions.BeatGanAuthors);
        var expected = Stressed.GetProperty("authors_selection");
        foreach (var c in Enum.GetValues<AamiClass>())
            Assert.Equal(expected.GetProperty("kept").GetProperty(c.ToString()).GetInt32(), result.CountByClass()[c]);
        Assert.True(result.DroppedUnconfirmed > 0);
        Assert.Equal(expected.GetProperty("unconfirmed_n_samples").GetArrayLength(), result.DroppedUnconfirmed);
    }

    [Fact]
    public void CorrectionMovesBioSppysPeaksWhereBioSppyDoes()
    {
        var filtered = EcgFilter.Apply(EcgBandPass.BioSppyFir3To45Hz, Mlii, 360);
        var corrected = RPeakCorrection.Correct(filtered, Ints(Reference.Value.GetProperty("hamilton_rpeaks")), 18);
        Assert.Equal(Ints(Reference.Value.GetProperty("corrected_rpeaks")), corrected);
    }

    [Fact]
    public void PipelineReturnsTheRPeaksOfEcgEcg()
    {
        var result = BioSppyEcg.Process(Mlii, 360);
        Assert.Equal(Ints(Reference.Value.GetProperty("ecg_rpeaks")), result.RPeaks);
        Assert.Equal(Mlii.Length, result.Filtered.Length);
    }

    [Fact]
    public void AuthorsSelectionOfRecord100MatchesTheReference()
    {
        var expected = Reference.Value.GetProperty("authors_selection");
        var result = BeatSegmenter.Segment(Record100.Value, BeatSegmentationOptions.BeatGanAuthors);
        foreach (var c in Enum.GetValues<AamiClass>())
            Assert.Equal(expected.GetProperty("kept").GetProperty(c.ToString()).GetInt32(), result.CountByClass()[c]);
        Assert.Equal(expected.GetProperty("unconfirmed_n_samples").GetArrayLength(), result.DroppedUnconfirmed);
        Assert.Equal(expected.GetProperty("dropped_at_edges").GetInt32(), result.DroppedAtEdges);
    }

    [Fact]
    public void NormalBeatsNeedADetectedPeakCloserThanTenSamplesOthersDoNot()
    {
        int peak = Ints(Reference.Value.GetProperty("ecg_rpeaks"))[1000];
        // Annotation s is used at s + 1 (the authors' 1-based annotations): distances 9, 9, 10, 100 and 100.
        var annotations = new (long Sample, string Symbol)[] { (peak - 10, "N"), (peak + 8, "N"), (peak + 9, "N"), (peak + 99, "N"), (peak + 99, "V") }
            .Select(a => new MitAnnotation(a.Sample, a.Symbol == "N" ? 1 : 5, a.Symbol, 0, 0, 0, "")).ToList();
        var record = Record100.Value with { Annotations = annotations };

        var authors = BeatSegmenter.Segment(record, BeatSegmentationOptions.BeatGanAuthors);
        Assert.Equal([(peak - 10L, "N"), (peak + 8L, "N"), (peak + 99L, "V")], authors.Beats.Select(b => (b.RPeak, b.Symbol)));
        Assert.Equal(2, authors.DroppedUnconfirmed);

        // Without the shift, peak + 9 is 9 samples away and kept, and peak - 10 is 10 away and dropped.
        var unshifted = BeatSegmenter.Segment(record, BeatSegmentationOptions.BeatGanAuthors with { AnnotationOffset = 0 });
        Assert.Equal([peak + 8L, peak + 9L, peak + 99L], unshifted.Beats.Select(b => b.RPeak));

        var all = BeatSegmenter.Segment(record, BeatSegmentationOptions.AnnotationsOnly);
        Assert.Equal(5, all.Beats.Count);
        Assert.Equal(0, all.DroppedUnconfirmed);
    }

    [Fact]
    public void AuthorsWindowsStartOneSampleAfterTheAnnotationsAndComeFromTheFilteredLeads()
    {
        var beat = BeatSegmenter.Segment(Record100.Value, BeatSegmentationOptions.BeatGanAuthors).Beats.First(b => b.Symbol == "V");
        var filtered = EcgFilter.Apply(EcgBandPass.BioSppyFir3To45Hz, Record100.Value.Millivolts[1], 360);
        var expected = new float[320];
        Assert.True(BeatScaling.MinMaxToUnitRange(filtered.AsSpan((int)beat.RPeak + 1 - 140, 320), expected));
        Assert.Equal(expected, beat.Lead(1).ToArray());
    }

    [Fact]
    public void CorrectionSearchesTheHalfOpenWindowAndStopsAtTheEnd()
    {
        var signal = new double[100];
        signal[10] = 5;  // r = 20, tolerance 10: [10, 30) holds sample 10
        signal[50] = 5;  // r = 40: [30, 50) excludes sample 50, so the first maximum, sample 30 (a plateau of zeros), wins
        signal[85] = 3;
        signal[86] = 3;  // r = 80: two equal maxima, the first is taken
        // r = 5 starts before the signal (skipped); r = 95 ends after it and stops the correction, so r = 97 is dropped too.
        Assert.Equal([10, 30, 85], RPeakCorrection.Correct(signal, [5, 20, 40, 80, 95, 97], 10));
        Assert.Equal([85], RPeakCorrection.Correct(signal, [84, 86], 10)); // both move to 85: merged
    }

    [Fact]
    public void NearestPeakIsFoundOnEitherSide()
    {
        int[] peaks = [100, 200, 400];
        Assert.Equal(0L, NearestRPeak.Distance(peaks, 200));
        Assert.Equal(49L, NearestRPeak.Distance(peaks, 249));
        Assert.Equal(50L, NearestRPeak.Distance(peaks, 350));
        Assert.Equal(90L, NearestRPeak.Distance(peaks, 10));
        Assert.Equal(600L, NearestRPeak.Distance(peaks, 1000));
        Assert.Null(NearestRPeak.Distance([], 5));
    }

    [Fact]
    public void DetectorRejectsSignalsItCannotLearnFrom()
    {
        Assert.Contains("one second", Assert.Throws<ArgumentException>(() => HamiltonSegmenter.Detect(new double[100], 360)).Message);
        var withNaN = new double[1000];
        withNaN[500] = double.NaN;
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => HamiltonSegmenter.Detect(withNaN, 360)).Message);
    }
}
