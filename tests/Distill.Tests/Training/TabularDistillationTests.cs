using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Training;

namespace Distill.Tests.Training;

public class TabularDistillationTests
{
    [Fact]
    public void MeanStdIsTheSampleStatistic()
    {
        var summary = MeanStd.Of([1.0, 2.0, 3.0, 4.0]);
        Assert.Equal(2.5, summary.Mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3.0), summary.StandardDeviation, 12); // sum of squares 5, n - 1 = 3
        Assert.Equal(0, MeanStd.Of([0.7]).StandardDeviation);
    }

    [Fact]
    public void PrivilegedTeacherDistilsIntoAStudentOnTheMeanFeatures()
    {
        var data = TeacherStudentData.BreastCancer(seed: 0);
        var options = new TrainingOptions(Epochs: 6, BatchSize: 32, EarlyStoppingPatience: 10);
        var (teacher, teacherResult) = TabularDistillation.TrainTeacher(data, [32, 16], options, seed: 0);
        Assert.True(teacherResult.BestValidation.Metrics["auc"] > 0.95);

        var runs = TabularDistillation.CompareMethods(data, teacher, [DistillationMethod.None, DistillationMethod.Kd], [16], options, [1, 2]);
        Assert.Equal(4, runs.Count);
        var kd = runs.First(r => r.Method == DistillationMethod.Kd);
        Assert.Contains("bkd", kd.Training.History[0].TrainTerms.Keys);      // binary KD term was trained and logged
        Assert.DoesNotContain("bkd", runs[0].Training.History[0].TrainTerms.Keys);
        Assert.All(runs, r => Assert.True(r.Test.Metrics["auc"] > 0.8, $"{r.Method} seed {r.Seed}: {r.Test.Metrics["auc"]}"));

        var table = ResultSummary.ByMethod(runs, ["auc", "f1"]);
        Assert.Equal(["None", "Kd"], table.Select(r => r.Method));
        Assert.Equal(2, table[1].Metrics["auc"].Count);
        Assert.StartsWith("| method | n | auc | f1 |", ResultSummary.ToMarkdown(table));
    }
}
