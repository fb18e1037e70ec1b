using Distill.Distillation.BeatGan;
using Distill.Experiments.BeatGan;

namespace Distill.Tests.Experiments;

public sealed class BeatGanKdSummaryTests
{
    // Validation: normal 0.1, 0.2; abnormal 0.5, 0.6: best validation F1 (1.0) at threshold 0.5.
    private static readonly double[] ValidationErrors = [0.1, 0.2, 0.5, 0.6];
    private static readonly int[] ValidationLabels = [0, 0, 1, 1];
    private static readonly int[] TestLabels = [0, 0, 1, 1];

    private static BeatGanKdRun Run(string method, int seed, double[] testErrors) => new(method, seed, 0,
        BeatGanKdEvaluation.FromErrors(ValidationErrors, ValidationLabels, testErrors, TestLabels, null), 0, 0, seed, []);

    [Fact]
    public void BothF1FiguresAreSummarisedPerMethod()
    {
        // Seed 0: test errors 0.1, 0.3, 0.4, 0.7. Best F1 on the test labels: threshold 0.4 separates perfectly, F1 = 1.
        // At the validation threshold 0.5 only 0.7 is called abnormal: TP 1, FN 1, FP 0, F1 = 2 / 3.
        // Seed 1: test errors 0.1, 0.2, 0.6, 0.7: both F1 are 1.
        var rows = BeatGanKdSummary.ByMethod([Run("student", 0, [0.1, 0.3, 0.4, 0.7]), Run("student", 1, [0.1, 0.2, 0.6, 0.7])],
                                             BeatGanKdSummary.Figures);
        var row = Assert.Single(rows);
        Assert.Equal(["auc", "ap", "f1_best", "f1_at_val_threshold"], row.Metrics.Keys);
        Assert.Equal(1.0, row.Metrics["f1_best"].Mean, 12);
        Assert.Equal((2.0 / 3.0 + 1.0) / 2, row.Metrics["f1_at_val_threshold"].Mean, 12);
        Assert.Equal(2, row.Metrics["auc"].Count);
    }

    [Fact]
    public void AnUnknownFigureIsNamedWithTheChoices()
    {
        var error = Assert.Throws<ArgumentException>(() => BeatGanKdSummary.ByMethod([Run("student", 0, [0.1, 0.3, 0.4, 0.7])], ["f1"]));
        Assert.Contains("'f1'", error.Message);
        Assert.Contains("f1_at_val_threshold", error.Message);
    }
}
