using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Training;

namespace Distill.Tests.Training;

public class HyperparameterSweepTests
{
    [Fact]
    public void EveryConfigurationIsTrainedWithItsSettingsAndRankedByValidation()
    {
        var data = TeacherStudentData.BreastCancer(seed: 0);
        var options = new TrainingOptions(Epochs: 2, BatchSize: 32, EarlyStoppingPatience: 5);
        var (teacher, _) = TabularDistillation.TrainTeacher(data, [16], options, seed: 0);
        var grid = new SweepGrid([1e-3, 1e-2], [[8], [16, 8]], [0.5, 2.0]);
        var seen = new List<SweepProgress>();

        var results = HyperparameterSweep.Run(data, teacher, DistillationMethod.Kd, grid, options, seed: 1, new SyncProgress<SweepProgress>(seen.Add));

        Assert.Equal(8, results.Count);
        Assert.Equal(Enumerable.Range(1, 8), seen.Select(p => p.Done));
        Assert.Equal(results.Select(r => r.Validation).OrderByDescending(v => v), results.Select(r => r.Validation));
        foreach (var result in results)
        {
            // The run really used the configuration: its first epoch's learning rate and the student's input width.
            Assert.Equal(result.Configuration.LearningRate, result.Run.Training.History[0].LearningRate, 12);
            Assert.Contains("bkd", result.Run.Training.History[0].TrainTerms.Keys);
        }
        Assert.Equal(grid.Configurations().Select(c => c.ToString()).Order(), results.Select(r => r.Configuration.ToString()).Order());
    }

    [Fact]
    public void AnEmptyGridIsRejected()
        => Assert.Throws<ArgumentException>(() => new SweepGrid([], [[8]], [1.0]).Configurations());
}
