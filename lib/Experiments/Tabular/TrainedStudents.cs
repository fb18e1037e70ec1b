using System.Globalization;
using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Models;
using Distill.Training;

namespace Distill.Experiments.Tabular;

/// <summary>The one-method students of one teacher, each trained once: asking again for a student already trained (same
/// method, weight, widths and seed) returns its run instead of training it a second time.</summary>
/// <remarks>A student's run is fixed by these four, the data, the teacher and the options
/// (<see cref="TabularDistillation.TrainStudent"/> seeds the initialisation and the batch order from the seed), so the run
/// returned is the one training again would give. Notebook 03 asks again when a later section compares a method at a weight
/// an earlier one trained (OFD's balanced weight is its default) and in its exercise cell, whose default knobs name
/// students of the comparison.</remarks>
/// <param name="data">Splits with both views.</param>
/// <param name="teacher">The trained teacher every student is distilled from.</param>
/// <param name="options">Training settings of every student.</param>
public sealed class TrainedStudents(TeacherStudentData data, Mlp teacher, TrainingOptions options)
{
    private readonly Dictionary<string, StudentRun> runs = new(StringComparer.Ordinal);

    /// <summary>The teacher the students are distilled from.</summary>
    public Mlp Teacher => teacher;

    /// <summary>How many students have been trained (each once, however often it was asked for).</summary>
    public int Trained => runs.Count;

    /// <summary>The run of the student of <paramref name="method"/> at <paramref name="weight"/> with
    /// <paramref name="hiddenWidths"/> and <paramref name="seed"/>: trained now the first time it is asked for, the same run
    /// afterwards.</summary>
    /// <param name="method">Distillation method (<see cref="DistillationMethod.None"/> for the labels-only student).</param>
    /// <param name="hiddenWidths">The student's hidden widths.</param>
    /// <param name="seed">Seed of initialisation and batch order.</param>
    /// <param name="weight">Weight of the distillation term; the method's default (<see cref="MlpDistillation.DefaultWeight"/>)
    /// when null, so that asking with the default written out gives the same student.</param>
    /// <param name="progress">Per-epoch progress while the student trains (nothing is reported for a run already trained).</param>
    public StudentRun Get(DistillationMethod method, IReadOnlyList<int> hiddenWidths, int seed, double? weight = null,
                          IProgress<EpochRecord>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(hiddenWidths);
        double effective = method == DistillationMethod.None ? 0 : weight ?? MlpDistillation.DefaultWeight(method);
        string key = string.Create(CultureInfo.InvariantCulture,
            $"{method} weight {effective:R} widths [{string.Join(", ", hiddenWidths)}] seed {seed}");
        if (!runs.TryGetValue(key, out var run))
            runs[key] = run = TabularDistillation.TrainStudent(data, teacher, method, hiddenWidths, options, seed, effective, progress);
        return run;
    }
}
