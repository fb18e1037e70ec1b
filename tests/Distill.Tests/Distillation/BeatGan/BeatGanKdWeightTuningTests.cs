using Distill.Distillation.BeatGan;
using Distill.Experiments.BeatGan;
using Distill.Tests.Training.BeatGan;
using static TorchSharp.torch;

namespace Distill.Tests.Distillation.BeatGan;

public class BeatGanKdWeightTuningTests
{
    // The "abnormal" validation beats are normal beats of another draw, so validation AUC is far from saturated and
    // differs between students: choosing the best factor is then a real choice the test can check.
    private static BeatGanKdData TinyData()
    {
        int[] labels = [0, 0, 0, 0, 1, 1, 1, 1];
        return new BeatGanKdData(
            SyntheticBeats.Normal(16, 1),
            cat([SyntheticBeats.Normal(4, 2), SyntheticBeats.Normal(4, 3)]), labels,
            cat([SyntheticBeats.Normal(4, 4), SyntheticBeats.Abnormal(4, 5)]), labels, "synthetic");
    }

    private static BeatGanKdConfig TinyConfig(params BeatGanKdStudent[] students) =>
        new(1, 2, 20, 8, 5e-3, BeatGanKdTermsTests.TeacherSizes, BeatGanKdTermsTests.StudentSizes, students);

    [Fact]
    public void EachRecipeKeepsTheFactorWithTheBestValidationAuc()
    {
        var config = TinyConfig(BeatGanKdStudent.Parse("at"), BeatGanKdStudent.Parse("latent=2+crd"));
        var lines = new List<string>();

        var tunings = BeatGanKdWeightTuning.Tune(config, TinyData(), [1, 1e-3, 1e4], lines.Add);

        Assert.Equal(2, tunings.Count);
        Assert.Equal(6, lines.Count);
        for (int i = 0; i < tunings.Count; i++)
        {
            var tuning = tunings[i];
            Assert.Equal([1, 1e-3, 1e4], tuning.Trials.Select(t => t.Factor));
            double best = tuning.Trials.Max(t => t.ValidationAuc);
            double chosen = tuning.Trials.First(t => t.ValidationAuc == best).Factor;
            Assert.Equal(config.Students[i].Scaled(chosen).Terms, tuning.Chosen.Terms);
        }
        Assert.True(tunings.Any(t => t.Trials.Select(trial => trial.ValidationAuc).Distinct().Count() > 1), string.Join("; ", lines));
    }

    [Fact]
    public void FactorsMustBePositive()
    {
        var config = TinyConfig(BeatGanKdStudent.Parse("rec-kd"));
        Assert.Throws<ArgumentOutOfRangeException>(() => BeatGanKdWeightTuning.Tune(config, TinyData(), [1, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => BeatGanKdWeightTuning.Tune(config, TinyData(), []));
    }
}
