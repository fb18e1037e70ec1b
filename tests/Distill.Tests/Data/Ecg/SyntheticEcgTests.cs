using Distill.Data.Ecg;

namespace Distill.Tests.Data.Ecg;

/// <summary>McSharry synthetic ECG: rhythm, morphology of the labelled premature beats, and segmentation.</summary>
public class SyntheticEcgTests
{
    private static readonly Lazy<EcgRecord> Clean = new(() =>
        SyntheticEcg.Generate(new SyntheticEcgOptions(DurationSeconds: 300, MuscleNoise: 0, BaselineWander: 0, Seed: 3)));

    private static readonly Lazy<EcgRecord> Noisy = new(() => SyntheticEcg.Generate(new SyntheticEcgOptions(DurationSeconds: 300, Seed: 3)));

    private static List<(MitAnnotation Beat, double Before, double After)> Intervals(EcgRecord r)
    {
        var a = r.Annotations;
        return Enumerable.Range(1, a.Count - 2)
            .Select(i => (a[i], (a[i].Sample - a[i - 1].Sample) / r.SamplingFrequency, (a[i + 1].Sample - a[i].Sample) / r.SamplingFrequency))
            .ToList();
    }

    // Median interval between two consecutive normal beats.
    private static double MedianSinusRr(EcgRecord r)
    {
        var a = r.Annotations;
        var rr = Enumerable.Range(1, a.Count - 1).Where(i => a[i].Symbol == "N" && a[i - 1].Symbol == "N")
            .Select(i => (a[i].Sample - a[i - 1].Sample) / r.SamplingFrequency).Order().ToList();
        return rr[rr.Count / 2];
    }

    [Fact]
    public void HeartRateAndVariabilityFollowTheOptions()
    {
        Assert.InRange(MedianSinusRr(Clean.Value), 0.97, 1.03); // 60 bpm
        var fast = SyntheticEcg.Generate(new SyntheticEcgOptions(DurationSeconds: 60, MeanHeartRate: 90, PrematureVentricularRate: 0, AtrialPrematureRate: 0));
        Assert.InRange(MedianSinusRr(fast), 60 / 90.0 * 0.97, 60 / 90.0 * 1.03);
        // HRV: sinus intervals vary, by about 60 * 1 / 60^2 s = 17 ms (std), not by hundreds.
        var sinus = Intervals(fast).Select(x => x.Before).ToList();
        double mean = sinus.Average(), std = Math.Sqrt(sinus.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(std, 0.002, 0.05);
    }

    [Fact]
    public void PrematureVentricularBeatsAreEarlyWideWithoutPWaveAndFollowedByACompensatoryPause()
    {
        var r = Clean.Value;
        double rr = MedianSinusRr(r);
        var z = r.Millivolts[0];
        var normals = Intervals(r).Where(x => x.Beat.Symbol == "N").ToList();
        var pvcs = Intervals(r).Where(x => x.Beat.Symbol == "V").ToList();
        Assert.InRange(pvcs.Count, 5, 30); // 5% of ~300 beats
        int normalWidth = normals.Select(x => QrsWidth(z, x.Beat.Sample)).Order().ElementAt(normals.Count / 2);
        foreach (var (beat, before, after) in pvcs)
        {
            Assert.True(before < 0.7 * rr, $"V at {beat.Sample} is not premature ({before:F3} s vs RR {rr:F3} s)");
            Assert.InRange(before + after, 2 * rr * 0.95, 2 * rr * 1.05);
            Assert.True(QrsWidth(z, beat.Sample) > 1.5 * normalWidth, $"V at {beat.Sample}: QRS not wide");
            Assert.True(PWindowMax(z, beat.Sample) < 0, $"V at {beat.Sample} has an upright P wave");
        }
        Assert.All(normals, x => Assert.True(PWindowMax(z, x.Beat.Sample) > 0.05, $"N at {x.Beat.Sample} lacks its P wave"));
    }

    [Fact]
    public void AtrialPrematureBeatsAreEarlyWithAnAbnormalPWaveAndANormalQrs()
    {
        var r = Clean.Value;
        double rr = MedianSinusRr(r);
        var z = r.Millivolts[0];
        var normals = Intervals(r).Where(x => x.Beat.Symbol == "N").ToList();
        var apbs = Intervals(r).Where(x => x.Beat.Symbol == "A").ToList();
        Assert.InRange(apbs.Count, 5, 30);
        int normalWidth = normals.Select(x => QrsWidth(z, x.Beat.Sample)).Order().ElementAt(normals.Count / 2);
        double normalPMin = normals.Min(x => PWindowMin(z, x.Beat.Sample));
        foreach (var (beat, before, after) in apbs)
        {
            Assert.True(before < 0.8 * rr, $"A at {beat.Sample} is not premature");
            Assert.True(before + after < 1.9 * rr, $"A at {beat.Sample} has a compensatory pause");
            Assert.True(QrsWidth(z, beat.Sample) <= normalWidth, $"A at {beat.Sample}: QRS wider than normal");
            Assert.True(PWindowMax(z, beat.Sample) < 0 && PWindowMin(z, beat.Sample) < normalPMin - 0.03,
                $"A at {beat.Sample}: P wave not inverted");
        }
    }

    [Fact]
    public void SegmentedBeatsCarryTheGeneratedClassesAndTheirShapesAgree()
    {
        var r = Noisy.Value;
        var result = BeatSegmenter.Segment(r, BeatSegmentationOptions.AnnotationsOnly);
        var labelled = r.Annotations.Where(a => a.Sample >= 140 && a.Sample + 180 < r.Length).ToList();
        Assert.Equal(labelled.Count, result.Beats.Count);
        Assert.Equal(r.Annotations.Count - labelled.Count, result.DroppedAtEdges);
        var counts = result.CountByClass();
        Assert.Equal(labelled.Count(a => a.Symbol == "N"), counts[AamiClass.N]);
        Assert.Equal(labelled.Count(a => a.Symbol == "A"), counts[AamiClass.S]);
        Assert.Equal(labelled.Count(a => a.Symbol == "V"), counts[AamiClass.V]);
        Assert.True(counts[AamiClass.S] > 0 && counts[AamiClass.V] > 0);

        // A label-blind check on the noisy beats: V differs in QRS shape (R +- 100 ms) from the normal template, A only in timing.
        var template = new double[320];
        var normal = result.Beats.Where(b => b.Class == AamiClass.N).ToList();
        foreach (var b in normal) for (int t = 0; t < 320; t++) template[t] += b.Lead(0)[t] / normal.Count;
        double rr = MedianSinusRr(r);
        var peaks = r.Annotations.Select(a => a.Sample).ToList();
        foreach (var beat in result.Beats)
        {
            int i = peaks.IndexOf(beat.RPeak);
            double before = i > 0 ? (peaks[i] - peaks[i - 1]) / 360.0 : rr;
            var guess = Correlation(template[104..176], beat.Lead(0)[104..176]) < 0.8 ? AamiClass.V : before < 0.85 * rr ? AamiClass.S : AamiClass.N;
            Assert.True(guess == beat.Class, $"beat at {beat.RPeak} labelled {beat.Class} looks like {guess}");
        }
    }

    [Fact]
    public void SeedsReproduceAndNoiseHasTheRequestedSize()
    {
        var a = SyntheticEcg.Generate(new SyntheticEcgOptions(DurationSeconds: 20, Seed: 5));
        var b = SyntheticEcg.Generate(new SyntheticEcgOptions(DurationSeconds: 20, Seed: 5));
        var c = SyntheticEcg.Generate(new SyntheticEcgOptions(DurationSeconds: 20, Seed: 6));
        Assert.Equal(a.Millivolts[0], b.Millivolts[0]);
        Assert.Equal(a.Annotations, b.Annotations);
        Assert.NotEqual(a.Millivolts[0], c.Millivolts[0]);
        Assert.Equal(7200, a.Length);

        // Same rhythm, noise switched off one at a time: the differences are the noise terms.
        var clean = SyntheticEcg.Generate(new SyntheticEcgOptions(DurationSeconds: 20, Seed: 5, MuscleNoise: 0, BaselineWander: 0));
        var muscle = SyntheticEcg.Generate(new SyntheticEcgOptions(DurationSeconds: 20, Seed: 5, MuscleNoise: 0.05, BaselineWander: 0));
        var wander = SyntheticEcg.Generate(new SyntheticEcgOptions(DurationSeconds: 20, Seed: 5, MuscleNoise: 0, BaselineWander: 0.3));
        var emg = muscle.Millivolts[0].Zip(clean.Millivolts[0], (x, y) => (double)x - y).ToArray();
        Assert.InRange(Math.Sqrt(emg.Average(v => v * v)), 0.047, 0.053);
        var drift = wander.Millivolts[0].Zip(clean.Millivolts[0], (x, y) => (double)x - y).ToArray();
        // Driven first-order response: amplitude A / sqrt(1 + (2π 0.25)²) = 0.3 * 0.537.
        Assert.InRange(drift[3600..].Max(), 0.15, 0.17);
        Assert.InRange(drift[3600..].Min(), -0.17, -0.15);
    }

    [Fact]
    public void BadOptionsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticEcg.Generate(new SyntheticEcgOptions(PrematureVentricularRate: 0.7, AtrialPrematureRate: 0.5)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticEcg.Generate(new SyntheticEcgOptions(MuscleNoise: -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticEcg.Generate(new SyntheticEcgOptions(MeanHeartRate: 0)));
    }

    // Samples around the R peak above half its height.
    private static int QrsWidth(float[] z, long r)
    {
        float half = z[r] / 2;
        long lo = r, hi = r;
        while (z[lo] > half) lo--;
        while (z[hi] > half) hi++;
        return (int)(hi - lo);
    }

    // Extremes between 200 ms and 60 ms before the R peak, where a P wave belongs.
    private static float PWindowMax(float[] z, long r) => z.AsSpan((int)r - 72, 50).ToArray().Max();
    private static float PWindowMin(float[] z, long r) => z.AsSpan((int)r - 54, 32).ToArray().Min();

    private static double Correlation(double[] x, ReadOnlySpan<float> y)
    {
        double mx = x.Average(), my = 0;
        foreach (float v in y) my += v / y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }
}
