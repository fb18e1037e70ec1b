using Distill.Distillation.BeatGan;
using Distill.Training;
using Distill.Training.BeatGan;

using Distill.Experiments.BeatGan;
namespace Distill.Tests.Distillation.BeatGan;

public class BeatGanProgressLinesTests
{
    private static readonly BeatGanStepLosses Step = new(0.25, 0.5, 0.01, 0.02, 0.03, false);

    private static IEnumerable<BeatGanProgress> TwoEpochsOfThreeSteps()
    {
        for (int epoch = 1; epoch <= 2; epoch++)
        {
            for (int batch = 1; batch <= 3; batch++) yield return new BeatGanProgress(epoch, 2, batch, 3, Step, null);
            var summary = new BeatGanEpochSummary(epoch, 0.75, 0.01, 0.02, 0.8 + 0.1 * epoch, 0, true, TimeSpan.FromSeconds(1),
                                                  new Dictionary<string, double> { ["auc"] = 0.5 + epoch / 10.0 });
            yield return new BeatGanProgress(epoch, 2, 3, 3, Step, summary);
        }
    }

    [Fact]
    public void EveryStepIsCountedAndEpochLinesNameTheKeptEpoch()
    {
        var lines = new List<string>();
        var progress = new BeatGanProgressLines("fold 0 seed 1 teacher", lines.Add, TimeSpan.Zero);
        foreach (var report in TwoEpochsOfThreeSteps()) progress.Report(report);

        Assert.Equal(8, lines.Count); // six step lines and two epoch lines with no least interval
        Assert.All(lines, l => Assert.StartsWith("fold 0 seed 1 teacher: ", l));
        Assert.Contains("epoch 1/2 step 2/3", lines[1]);
        Assert.Contains("2/6 steps", lines[1]);
        Assert.Contains("epoch 2/2 done", lines[^1]);
        Assert.Contains("validation auc 1.0000 (best 1.0000, epoch 2); test auc 0.7000", lines[^1]);
        Assert.Contains("6/6 steps", lines[^1]);
        Assert.Contains("ETA", lines[^1]);
    }

    [Fact]
    public void WithinTheIntervalOnlyTheLastEpochIsReported()
    {
        var lines = new List<string>();
        var progress = new BeatGanProgressLines("teacher", lines.Add, TimeSpan.FromHours(1));
        foreach (var report in TwoEpochsOfThreeSteps()) progress.Report(report);
        Assert.Equal("epoch 2/2 done", Assert.Single(lines).Split(" in ")[0]["teacher: ".Length..]);
    }

    [Theory]
    [InlineData(9.4, "9 s")]
    [InlineData(252, "4 min 12 s")]
    [InlineData(10_200, "2 h 50 min")]
    public void DurationsUseTheLargestTwoUnits(double seconds, string text)
        => Assert.Equal(text, ProgressClock.Duration(TimeSpan.FromSeconds(seconds)));
}
