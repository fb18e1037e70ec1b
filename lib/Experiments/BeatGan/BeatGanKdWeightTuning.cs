using Distill.Anomaly;
using Distill.Distillation.BeatGan;
using Distill.Metrics;

namespace Distill.Experiments.BeatGan;

/// <summary>One recipe's tuning: the weight factor chosen and every factor's validation AUC.</summary>
/// <param name="Chosen">The recipe with its weights multiplied by the chosen factor.</param>
/// <param name="Trials">Each factor tried and the student's validation AUC with it.</param>
public sealed record BeatGanKdTuning(BeatGanKdStudent Chosen, IReadOnlyList<(double Factor, double ValidationAuc)> Trials);

/// <summary>Chooses each student's term weights on the validation beats, never on the test beats.</summary>
/// <remarks>
/// Model selection as in BeatGAN (Zhou et al., IJCAI 2019), which picks the teacher's epoch by validation AUC: for each
/// recipe, every weight factor trains one student against a teacher of <see cref="TuningSeed"/>, a seed outside the
/// reported seeds 0 … n−1, so the tuned weights are not fitted to the runs they are reported on. The factor with the
/// best validation AUC wins; ties go to the earlier factor, so list the default (1) first.
/// </remarks>
public static class BeatGanKdWeightTuning
{
    /// <summary>The seed of the tuning teacher and students.</summary>
    public const int TuningSeed = 1000;

    /// <summary>Factors tried by default: the default weight first, then a decade either side.</summary>
    public static IReadOnlyList<double> DefaultFactors { get; } = [1, 0.1, 10];

    /// <summary>Tunes every recipe of <paramref name="config"/>; returns the tunings in recipe order.</summary>
    /// <param name="config">Sizes, epochs and recipes (their weights are the starting point).</param>
    /// <param name="data">Beats; only Train and Validation are used.</param>
    /// <param name="factors">Weight factors to try (positive); null means <see cref="DefaultFactors"/>.</param>
    /// <param name="log">Receives a line per trained student.</param>
    public static IReadOnlyList<BeatGanKdTuning> Tune(BeatGanKdConfig config, BeatGanKdData data, IReadOnlyList<double>? factors = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        factors ??= DefaultFactors;
        if (factors.Count == 0 || factors.Any(f => !double.IsFinite(f) || f <= 0))
            throw new ArgumentOutOfRangeException(nameof(factors), string.Join(", ", factors), "Weight factors must be positive finite numbers, e.g. 1, 0.1, 10.");
        var (teacher, teacherD) = BeatGanKdExperiment.TrainTeacher(config, data, TuningSeed);
        try
        {
            return config.Students.Select(recipe =>
            {
                var trials = factors.Select(factor =>
                {
                    using var student = BeatGanKdExperiment.TrainStudent(config, data, TuningSeed, teacher, teacherD, recipe.Scaled(factor));
                    double auc = BinaryMetrics.RocAuc(ReconstructionScores.Compute(student, data.Validation), data.ValidationLabels);
                    log?.Invoke($"tuning {recipe.Name,-24} x{factor:G3}: validation auc {auc:F4}");
                    return (Factor: factor, ValidationAuc: auc);
                }).ToArray();
                var best = trials.Aggregate((a, b) => b.ValidationAuc > a.ValidationAuc ? b : a);
                return new BeatGanKdTuning(recipe.Scaled(best.Factor), trials);
            }).ToArray();
        }
        finally
        {
            teacher.Dispose();
            teacherD.Dispose();
        }
    }
}
