using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Models;

namespace Distill.Training;

/// <summary>One point of a hyper-parameter grid.</summary>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="HiddenWidths">The student's hidden widths.</param>
/// <param name="Weight">Weight of the distillation term.</param>
public sealed record SweepConfiguration(double LearningRate, IReadOnlyList<int> HiddenWidths, double Weight)
{
    /// <inheritdoc />
    public override string ToString() => $"lr {LearningRate:G3}, widths [{string.Join(", ", HiddenWidths)}], weight {Weight:G3}";
}

/// <summary>The grid a sweep visits: every combination of the listed values (the seed's hyper-parameter search).</summary>
/// <param name="LearningRates">Learning rates to try.</param>
/// <param name="HiddenWidths">Student hidden widths to try.</param>
/// <param name="Weights">Distillation weights to try.</param>
public sealed record SweepGrid(IReadOnlyList<double> LearningRates, IReadOnlyList<IReadOnlyList<int>> HiddenWidths, IReadOnlyList<double> Weights)
{
    /// <summary>Every combination, learning rate slowest.</summary>
    public IReadOnlyList<SweepConfiguration> Configurations()
    {
        if (LearningRates.Count == 0 || HiddenWidths.Count == 0 || Weights.Count == 0)
            throw new ArgumentException("A sweep grid needs at least one learning rate, one width list and one weight.");
        return [.. from lr in LearningRates from widths in HiddenWidths from weight in Weights select new SweepConfiguration(lr, widths, weight)];
    }
}

/// <summary>A trained configuration: its validation score (what selects) and its test evaluation (what is reported).</summary>
/// <param name="Configuration">The grid point.</param>
/// <param name="Run">The trained student.</param>
public sealed record SweepResult(SweepConfiguration Configuration, StudentRun Run)
{
    /// <summary>The best validation value of the primary metric (F1 or accuracy).</summary>
    public double Validation => Run.Training.BestValidation.Primary;
}

/// <summary>Progress of a sweep: the configuration just finished and how many are done.</summary>
/// <param name="Done">Configurations trained so far.</param>
/// <param name="Total">Configurations in the grid.</param>
/// <param name="Last">The configuration just finished.</param>
public sealed record SweepProgress(int Done, int Total, SweepResult Last)
{
    /// <inheritdoc />
    public override string ToString()
        => $"[{Done}/{Total}] {Last.Configuration}: val {Last.Run.Training.BestValidation.PrimaryName} {Last.Validation:F4}";
}

/// <summary>Trains a student for every configuration of a grid and ranks them by validation metric, as the seed's search did.</summary>
/// <remarks>Selection uses validation only; test metrics are reported for every configuration but must not be used to
/// choose one, or the test estimate is no longer honest.</remarks>
public static class HyperparameterSweep
{
    /// <summary>Runs the grid with one method and seed; results sorted best validation first.</summary>
    public static IReadOnlyList<SweepResult> Run(TeacherStudentData data, Mlp teacher, DistillationMethod method, SweepGrid grid,
                                                 TrainingOptions options, int seed, IProgress<SweepProgress>? progress = null)
    {
        var configurations = grid.Configurations();
        var results = new List<SweepResult>(configurations.Count);
        foreach (var configuration in configurations)
        {
            var run = TabularDistillation.TrainStudent(data, teacher, method, configuration.HiddenWidths,
                                                       options with { LearningRate = configuration.LearningRate }, seed, configuration.Weight);
            results.Add(new SweepResult(configuration, run));
            progress?.Report(new SweepProgress(results.Count, configurations.Count, results[^1]));
        }
        return [.. results.OrderByDescending(r => r.Validation)];
    }
}
