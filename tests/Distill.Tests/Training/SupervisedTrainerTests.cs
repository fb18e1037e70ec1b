using Distill.Data.Tabular;
using Distill.Models;
using Distill.Runtime;
using Distill.Training;

namespace Distill.Tests.Training;

public class SupervisedTrainerTests
{
    private static TrainingResult Train(int seed, int epochs, out Mlp model, out TeacherStudentData data)
    {
        Reproducibility.Seed(seed);
        data = TeacherStudentData.BreastCancer(seed: 0);
        model = new Mlp([30, 32, 16]);
        var objective = new ClassifierObjective(model, ClassificationTask.For(2), InputView.Teacher);
        return new SupervisedTrainer(new TrainingOptions(Epochs: epochs, BatchSize: 32, EarlyStoppingPatience: 100))
            .Fit(objective, data.Train, data.Validation, seed);
    }

    [Fact]
    public void SameSeedGivesIdenticalLossesAndAnotherSeedDoesNot()
    {
        var a = Train(seed: 7, epochs: 3, out _, out _).History.Select(r => r.TrainLoss).ToArray();
        var b = Train(seed: 7, epochs: 3, out _, out _).History.Select(r => r.TrainLoss).ToArray();
        var c = Train(seed: 8, epochs: 3, out _, out _).History.Select(r => r.TrainLoss).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void TrainingLearnsAndKeepsTheBestEpoch()
    {
        var result = Train(seed: 1, epochs: 15, out var model, out var data);
        Assert.True(result.History[^1].TrainLoss < result.History[0].TrainLoss, "training loss must fall");
        Assert.True(result.BestValidation.Metrics["auc"] > 0.95, $"validation AUC {result.BestValidation.Metrics["auc"]}");
        // The model holds the best epoch's weights: evaluating it again reproduces that epoch's validation metric.
        model.eval();
        var again = new ClassifierObjective(model, ClassificationTask.For(2), InputView.Teacher).Evaluate(data.Validation);
        Assert.Equal(result.BestValidation.Primary, again.Primary, 6);
        Assert.Equal(result.History.Max(r => r.Validation.Primary), result.BestValidation.Primary);
    }

    [Fact]
    public void EarlyStoppingEndsARunThatStopsImproving()
    {
        Reproducibility.Seed(0);
        var data = TeacherStudentData.BreastCancer(seed: 0);
        var model = new Mlp([30, 8]);
        var objective = new ClassifierObjective(model, ClassificationTask.For(2), InputView.Teacher);
        var result = new SupervisedTrainer(new TrainingOptions(Epochs: 500, EarlyStoppingPatience: 3)).Fit(objective, data.Train, data.Validation, 0);
        Assert.True(result.StoppedEarly);
        Assert.Equal(result.BestEpoch + 3, result.History.Count);
    }

    [Fact]
    public void ProgressIsReportedEveryEpoch()
    {
        Reproducibility.Seed(0);
        var data = TeacherStudentData.BreastCancer(seed: 0);
        var objective = new ClassifierObjective(new Mlp([30, 8]), ClassificationTask.For(2), InputView.Teacher);
        var seen = new List<int>();
        new SupervisedTrainer(new TrainingOptions(Epochs: 4, EarlyStoppingPatience: 10))
            .Fit(objective, data.Train, data.Validation, 0, new SyncProgress<EpochRecord>(r => seen.Add(r.Epoch)));
        Assert.Equal([1, 2, 3, 4], seen);
    }

    [Fact]
    public void ModelWithWrongOutputCountIsRejected()
    {
        var data = TeacherStudentData.BreastCancer(seed: 0);
        var objective = new ClassifierObjective(new Mlp([30, 8], outputs: 3), ClassificationTask.For(2), InputView.Teacher);
        var error = Assert.Throws<ArgumentException>(() =>
            new SupervisedTrainer(new TrainingOptions(Epochs: 1)).Fit(objective, data.Train, data.Validation, 0));
        Assert.Contains("outputs = task.OutputCount", error.Message);
    }
}
