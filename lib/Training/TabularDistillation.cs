using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Models;
using Distill.Runtime;
using Distill.Training.Checkpoints;

namespace Distill.Training;

/// <summary>One trained student (or teacher) and how it did on the held-out test split.</summary>
/// <param name="Method">Distillation method (<see cref="DistillationMethod.None"/> for the baseline).</param>
/// <param name="Seed">Seed of the student's initialisation and batch order.</param>
/// <param name="Test">Evaluation on the test split with the best validation epoch's weights.</param>
/// <param name="Training">The training history.</param>
public sealed record StudentRun(DistillationMethod Method, int Seed, ClassifierEvaluation Test, TrainingResult Training);

/// <summary>The experiments of the tabular notebooks: a privileged teacher, then students trained with each method.</summary>
/// <remarks>
/// The data split and the teacher are fixed; each seed changes the student's initialisation and batch order, so the
/// spread over seeds measures how much a method's result depends on luck rather than on the split.
/// </remarks>
public static class TabularDistillation
{
    /// <summary>Trains a teacher MLP on the teacher view and returns it with its training result.</summary>
    public static (Mlp Teacher, TrainingResult Result) TrainTeacher(TeacherStudentData data, IReadOnlyList<int> hiddenWidths,
                                                                   TrainingOptions options, int seed, IProgress<EpochRecord>? progress = null)
    {
        Reproducibility.Seed(seed);
        var task = ClassificationTask.For(data.ClassCount);
        var teacher = new Mlp([data.TeacherView.Columns.Count, .. hiddenWidths], task.OutputCount, "teacher", data.Train.TeacherInput.device);
        var result = new SupervisedTrainer(options).Fit(new ClassifierObjective(teacher, task, InputView.Teacher), data.Train, data.Validation, seed, progress);
        return (teacher, result);
    }

    /// <summary>Trains one student on the student view with <paramref name="method"/> and evaluates it on the test split.</summary>
    /// <param name="data">Splits with both views.</param>
    /// <param name="teacher">The trained teacher (frozen by the distiller).</param>
    /// <param name="method">Distillation method.</param>
    /// <param name="hiddenWidths">The student's hidden widths.</param>
    /// <param name="options">Training settings.</param>
    /// <param name="seed">Seed of initialisation and batch order.</param>
    /// <param name="weight">Weight of the distillation term; the method's default when null.</param>
    /// <param name="progress">Per-epoch progress.</param>
    /// <param name="checkpoints">Where the run's checkpoint is written and resumed from (student, loss state such as CRD's
    /// memory, optimizer); none when null.</param>
    /// <param name="cancellation">Stops training after the current epoch (its checkpoint is written first); the result then
    /// holds the epochs trained so far.</param>
    public static StudentRun TrainStudent(TeacherStudentData data, Mlp teacher, DistillationMethod method, IReadOnlyList<int> hiddenWidths,
                                          TrainingOptions options, int seed, double? weight = null, IProgress<EpochRecord>? progress = null,
                                          CheckpointOptions? checkpoints = null, CancellationToken cancellation = default)
    {
        var prepared = TabularDistillationCombined.Prepare(data, teacher, method.ToString(), hiddenWidths, seed,
                                                           pair => MlpDistillation.Terms(method, pair, weight));
        var run = TabularDistillationCombined.Train(data, teacher, prepared, options, progress, checkpoints, cancellation);
        return new StudentRun(method, seed, run.Test, run.Training);
    }

    /// <summary>Trains a student for every method and seed, reporting each finished run.</summary>
    public static IReadOnlyList<StudentRun> CompareMethods(TeacherStudentData data, Mlp teacher, IEnumerable<DistillationMethod> methods,
                                                           IReadOnlyList<int> hiddenWidths, TrainingOptions options, IEnumerable<int> seeds,
                                                           IProgress<StudentRun>? progress = null)
    {
        var runs = new List<StudentRun>();
        foreach (var method in methods)
            foreach (int seed in seeds)
            {
                var run = TrainStudent(data, teacher, method, hiddenWidths, options, seed);
                runs.Add(run);
                progress?.Report(run);
            }
        return runs;
    }
}
