using Distill.Distillation.BeatGan;
using Distill.Experiments.BeatGan;
using Distill.Losses.BeatGan;

namespace Distill.Tests.Experiments;

/// <summary>The BeatGAN distillation experiment of notebook 05 and <c>distill reproduce beatgan</c>.</summary>
public sealed class BeatGanKdExperimentTests
{
    [Fact]
    public void AGivenTeacherIsUsedForItsSeedNotTrainedAgainNorDisposed()
    {
        var data = BeatGanKdData.Load();
        var config = BeatGanKdConfig.Default(seeds: 2, teacherEpochs: 1, studentEpochs: 1)
            with { Students = [BeatGanKdStudent.Of((BeatGanKdTerm.Reconstruction, 1))] };
        var fresh = BeatGanKdExperiment.Run(config, data);
        var given = BeatGanKdExperiment.TrainTeacher(config, data, seed: 0);
        var lines = new List<string>();
        var reused = BeatGanKdExperiment.Run(config, data, lines.Add, trainedTeachers: new Dictionary<int, (Distill.Models.BeatGan.BeatGanGenerator,
            Distill.Models.BeatGan.BeatGanDiscriminator)> { [0] = given });

        // The same models and figures as training every teacher here: the given one is seed 0's teacher.
        Assert.Equal(fresh.Select(r => (r.Method, r.Seed, r.Test.RocAuc, r.Test.AveragePrecision)),
                     reused.Select(r => (r.Method, r.Seed, r.Test.RocAuc, r.Test.AveragePrecision)));
        // Seed 0's teacher was not trained here (no steps, no history); seed 1's was.
        var teachers = reused.Where(r => r.Method == "teacher").ToArray();
        Assert.Equal([0L, 2L], teachers.Select(r => r.Steps));
        Assert.Empty(teachers[0].History);
        Assert.Single(teachers[1].History);
        // It is still the caller's: usable after the experiment.
        Assert.Equal(reused[0].Test.RocAuc, BeatGanKdEvaluation.Measure(given.Generator, data).Test.RocAuc);
        Assert.Contains(lines, l => l.Contains("6 of 6 models", StringComparison.Ordinal));
    }
}
