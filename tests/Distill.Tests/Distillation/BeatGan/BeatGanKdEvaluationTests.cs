using Distill.Data.Ecg;
using Distill.Distillation.BeatGan;
using Distill.Metrics;

using Distill.Experiments.BeatGan;
namespace Distill.Tests.Distillation.BeatGan;

public class BeatGanKdEvaluationTests
{
    [Fact]
    public void TheThresholdComesFromTheValidationBeatsAndIsAppliedToTheTestBeats()
    {
        // Validation: F1 is 1 at threshold 0.8. Test at 0.8: beats 1, 3, 4 are called abnormal; beat 4 is normal, beat 2 abnormal.
        double[] testErrors = [0.05, 0.85, 0.5, 0.95, 0.81, 0.3];
        int[] testLabels = [0, 1, 1, 1, 0, 0];
        var evaluation = BeatGanKdEvaluation.FromErrors([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1], testErrors, testLabels,
                                                        [AamiClass.N, AamiClass.S, AamiClass.V, AamiClass.V, AamiClass.N, AamiClass.N]);

        Assert.Equal(0.8, evaluation.ValidationThreshold);
        Assert.Equal(2.0 * 2 / (2 * 2 + 1 + 1), evaluation.F1AtValidationThreshold, 12); // TP 2, FP 1, FN 1
        Assert.Equal(1.0, evaluation.RecallAtValidationThreshold[AamiClass.S]);
        Assert.Equal(0.5, evaluation.RecallAtValidationThreshold[AamiClass.V]);
        Assert.Equal(2.0 / 3, evaluation.RecallAtValidationThreshold[AamiClass.N], 12); // specificity: two of three normal beats kept normal
        Assert.Equal(BinaryEvaluation.Of(testErrors, testLabels), evaluation.Test); // the authors' figures, threshold on the test labels
        Assert.True(evaluation.Test.BestF1 > evaluation.F1AtValidationThreshold);
        var metrics = evaluation.ToMetrics();
        Assert.Equal(2.0 / 3, metrics["specificity_N"], 12);
        Assert.Equal(1.0, metrics["recall_S"]);
        Assert.False(metrics.ContainsKey("recall_F")); // no F beat in this test set
    }

    [Fact]
    public void DataWithoutClassesHaveNoPerClassRecallAndMisfitClassesAreRefused()
    {
        var evaluation = BeatGanKdEvaluation.FromErrors([0.1, 0.9], [0, 1], [0.2, 0.95], [0, 1], null);
        Assert.Empty(evaluation.RecallAtValidationThreshold);
        Assert.Equal(1.0, evaluation.F1AtValidationThreshold);
        Assert.Contains("one class per beat",
            Assert.Throws<ArgumentException>(() => BeatGanKdEvaluation.FromErrors([0.1, 0.9], [0, 1], [0.2, 0.7], [0, 1], [AamiClass.N])).Message);
    }
}
