using Distill.Charts;
using static Distill.Tests.Charts.ChartJson;
using static TorchSharp.torch;

namespace Distill.Tests.Charts;

/// <summary>The softmax-temperature and KL-versus-cross-entropy charts hold the right numbers.</summary>
public sealed class SoftmaxChartsTests
{
    [Fact]
    public void TemperatureCurvesHoldOneProbabilityPerClassAndTemperature()
    {
        double[] logits = [2.0, 0.0, -1.0];
        double[] temperatures = [1.0, 4.0, 1e6];
        var traces = Traces(SoftmaxCharts.TemperatureCurves(logits, temperatures, ["cat", "dog", "car"]));
        Assert.Equal(["cat", "dog", "car"], traces.Select(t => t.GetProperty("name").GetString()));
        Assert.All(traces, t => Assert.Equal(temperatures, Doubles(t.GetProperty("x"))));
        // T = 1 by hand: exp(2), exp(0), exp(-1) over their sum.
        double sum = Math.Exp(2) + 1 + Math.Exp(-1);
        Assert.Equal(Math.Exp(2) / sum, Doubles(traces[0].GetProperty("y"))[0], 12);
        Assert.Equal(Math.Exp(-1) / sum, Doubles(traces[2].GetProperty("y"))[0], 12);
        // A huge temperature flattens every logit vector to the uniform distribution.
        Assert.All(traces, t => Assert.Equal(1.0 / 3, Doubles(t.GetProperty("y"))[2], 5));
        // Probabilities of each temperature sum to 1.
        for (int i = 0; i < temperatures.Length; i++)
            Assert.Equal(1.0, traces.Sum(t => Doubles(t.GetProperty("y"))[i]), 12);
    }

    [Fact]
    public void TheLogAxisIsTickedAtPowersOfTwoAndMarksTemperaturesOneAndFour()
    {
        var layout = Figure(SoftmaxCharts.TemperatureCurves([9.0, 5.0], [0.5, 1, 1.5, 3, 4, 24, 64])).GetProperty("layout");
        var axis = layout.GetProperty("xaxis");
        Assert.Equal("log", axis.GetProperty("type").GetString());
        Assert.Equal([0.5, 1, 2, 4, 8, 16, 32, 64], Doubles(axis.GetProperty("tickvals")));
        Assert.Equal(["0.5", "1", "2", "4", "8", "16", "32", "64"], Strings(axis.GetProperty("ticktext")));
        // On a log axis plotly.js reads shapes in data values and annotations in log10 of the value.
        Assert.Equal([1.0, 4.0], layout.GetProperty("shapes").EnumerateArray().Select(s => s.GetProperty("x0").GetDouble()));
        var labels = layout.GetProperty("annotations").EnumerateArray().ToList();
        Assert.Equal(["T = 1", "T = 4"], labels.Select(a => a.GetProperty("text").GetString()));
        Assert.Equal([0.0, Math.Log10(4)], labels.Select(a => a.GetProperty("x").GetDouble()));
        // Marks outside the drawn temperatures are left out.
        var narrow = Figure(SoftmaxCharts.TemperatureCurves([9.0, 5.0], [2.0, 3.0, 8.0], marked: [1.0, 4.0])).GetProperty("layout");
        Assert.Equal(["T = 4"], narrow.GetProperty("annotations").EnumerateArray().Select(a => a.GetProperty("text").GetString()));
    }

    [Fact]
    public void SoftmaxSurvivesLogitsThatOverflowExp()
    {
        double[] p = SoftmaxCharts.Softmax([1000.0, 999.0], 1.0);
        Assert.Equal(1 / (1 + Math.Exp(-1)), p[0], 12);
    }

    [Fact]
    public void KlAndCrossEntropyCurvesDifferByTheTeachersEntropy()
    {
        const double T = 4.0;
        var student = tensor(new float[] { 1, -2, 0.5f, 3, 0, -1 }, [2, 3]);
        var teacher = tensor(new float[] { 4, 0, -2, -1, 2, 1 }, [2, 3]);
        var traces = Traces(SoftmaxCharts.KlVersusCrossEntropy(student, teacher, T, steps: 5));
        double[] kl = Doubles(traces[0].GetProperty("y")), ce = Doubles(traces[1].GetProperty("y"));
        Assert.Equal([0.0, 0.25, 0.5, 0.75, 1.0], Doubles(traces[0].GetProperty("x")));

        // Independent value: T² · mean over rows of the entropy of softmax(z_t / T).
        double entropy = new[] { new[] { 4.0, 0, -2 }, new[] { -1.0, 2, 1 } }
            .Select(z => SoftmaxCharts.Softmax(z, T)).Average(p => -p.Sum(q => q * Math.Log(q))) * T * T;
        for (int i = 0; i < kl.Length; i++)
            Assert.Equal(entropy, ce[i] - kl[i], 4);   // float32 losses: 1e-4 absolute on values near 15
        Assert.Equal(0.0, kl[^1], 5);                  // the KL vanishes where the student copies the teacher
        Assert.True(kl[0] > kl[2] && kl[2] > kl[^1]);
        Assert.All(Doubles(traces[2].GetProperty("y")), v => Assert.Equal(entropy, v, 4));
    }

    [Fact]
    public void BadInputsAreRejected()
    {
        Assert.Contains("softmax over one logit", Assert.Throws<ArgumentException>(() => SoftmaxCharts.TemperatureCurves([1.0], [1.0])).Message);
        Assert.Contains("positive", Assert.Throws<ArgumentException>(() => SoftmaxCharts.TemperatureCurves([1.0, 2.0], [0.0])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => SoftmaxCharts.Softmax([1.0, 2.0], -1.0));
        Assert.Contains("one name per logit", Assert.Throws<ArgumentException>(() => SoftmaxCharts.TemperatureCurves([1.0, 2.0], [1.0], ["a"])).Message);
    }
}
