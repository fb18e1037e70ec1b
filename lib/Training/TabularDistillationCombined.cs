using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Losses;
using Distill.Losses.Crd;
using Distill.Models;
using Distill.Runtime;
using Distill.Training.Checkpoints;

namespace Distill.Training;

/// <summary>A student built and seeded but not trained yet: its network and the distillation terms it will train with.</summary>
/// <remarks>Kept apart from training so that a notebook can look at the untrained student (and a CRD term's embeddings)
/// before <see cref="TabularDistillationCombined.Train"/> changes them.</remarks>
/// <param name="Label">Name of the combination in tables and charts, e.g. <c>"Crd+Kd"</c>.</param>
/// <param name="Seed">Seed of the student's initialisation and batch order.</param>
/// <param name="Student">The untrained student, reading the student view.</param>
/// <param name="Terms">The distillation terms (empty for the baseline).</param>
public sealed record PreparedStudent(string Label, int Seed, Mlp Student, IReadOnlyList<DistillationTerm> Terms)
{
    /// <summary>The term whose loss is of type <typeparamref name="T"/> (e.g. the <see cref="CrdLoss"/>), or an exception naming the terms present.</summary>
    public T Loss<T>() where T : DistillationLoss
        => Terms.Select(term => term.Loss).OfType<T>().FirstOrDefault()
           ?? throw new InvalidOperationException(
               $"The student '{Label}' has no {typeof(T).Name} term; its terms are [{string.Join(", ", Terms.Select(t => t.Loss.Name))}].");
}

/// <summary>One trained student of a method combination and how it did on the held-out test split.</summary>
/// <param name="Label">Name of the combination, e.g. <c>"Crd+Kd"</c>.</param>
/// <param name="Seed">Seed of initialisation and batch order.</param>
/// <param name="Student">The trained student (best validation epoch's weights).</param>
/// <param name="Terms">The distillation terms it trained with (their learned parts, such as CRD's embeddings, are trained too).</param>
/// <param name="Test">Evaluation on the test split.</param>
/// <param name="Training">The training history.</param>
public sealed record CombinedRun(string Label, int Seed, Mlp Student, IReadOnlyList<DistillationTerm> Terms,
                                 ClassifierEvaluation Test, TrainingResult Training);

/// <summary>Tabular students trained with several distillation terms at once (CRD+KD), next to
/// <see cref="TabularDistillation"/>'s one-method students.</summary>
/// <remarks>
/// Tian, Krishnan &amp; Isola, "Contrastive Representation Distillation", ICLR 2020, Table 1 and Sec. 4.1 report CRD alone
/// and CRD+KD, the objective <c>L = L_task + α·L_KD + β·L_CRD</c> with RepDistiller's α = 1 and β = 0.8 (the weights
/// <see cref="MlpDistillation.DefaultWeight"/> gives). <see cref="TabularDistillation.TrainStudent"/> trains its one-method
/// students here, so a one-method combination is the one-method student.
/// </remarks>
public static class TabularDistillationCombined
{
    /// <summary>The table name of a combination: the methods joined by '+', <c>"None"</c> when there is no distillation term.</summary>
    public static string Label(IReadOnlyList<DistillationMethod> methods)
    {
        var distilling = methods.Where(m => m != DistillationMethod.None).ToArray();
        return distilling.Length == 0 ? nameof(DistillationMethod.None) : string.Join("+", distilling);
    }

    /// <summary>Seeds, builds the student and the terms of every method (each with its default weight), without training.</summary>
    /// <param name="data">Splits with both views.</param>
    /// <param name="teacher">The trained teacher.</param>
    /// <param name="methods">Methods whose terms are summed; duplicates are refused by the <see cref="Distiller"/>.</param>
    /// <param name="hiddenWidths">The student's hidden widths.</param>
    /// <param name="seed">Seed of initialisation (and, in <see cref="Train"/>, of batch order).</param>
    public static PreparedStudent Prepare(TeacherStudentData data, Mlp teacher, IReadOnlyList<DistillationMethod> methods,
                                          IReadOnlyList<int> hiddenWidths, int seed)
        => Prepare(data, teacher, Label(methods), hiddenWidths, seed, pair => methods.SelectMany(m => MlpDistillation.Terms(m, pair)));

    /// <summary>Seeds, builds the student and the terms of <paramref name="spec"/> (labelled with its
    /// <see cref="MethodSpec.Name"/>, e.g. <c>crd+kd</c>), without training.</summary>
    /// <param name="data">Splits with both views.</param>
    /// <param name="teacher">The trained teacher.</param>
    /// <param name="spec">The methods and their weights, e.g. <c>MethodSpec.Parse("kd+fitnet=100")</c>.</param>
    /// <param name="hiddenWidths">The student's hidden widths.</param>
    /// <param name="seed">Seed of initialisation (and, in <see cref="Train"/>, of batch order).</param>
    public static PreparedStudent Prepare(TeacherStudentData data, Mlp teacher, MethodSpec spec, IReadOnlyList<int> hiddenWidths, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Prepare(data, teacher, spec.Name, hiddenWidths, seed, spec.Build);
    }

    /// <summary>Seeds, builds the student and the terms <paramref name="terms"/> makes for it, without training.</summary>
    /// <param name="data">Splits with both views.</param>
    /// <param name="teacher">The trained teacher.</param>
    /// <param name="label">Name of the combination in tables and charts.</param>
    /// <param name="hiddenWidths">The student's hidden widths.</param>
    /// <param name="seed">Seed of initialisation (and, in <see cref="Train"/>, of batch order).</param>
    /// <param name="terms">Builds the terms from the student/teacher pair (e.g. <see cref="CrdTerm"/> with other options).</param>
    public static PreparedStudent Prepare(TeacherStudentData data, Mlp teacher, string label, IReadOnlyList<int> hiddenWidths, int seed,
                                          Func<MlpPair, IEnumerable<DistillationTerm>> terms)
    {
        Reproducibility.Seed(seed);
        var task = ClassificationTask.For(data.ClassCount);
        var student = new Mlp([data.StudentView.Columns.Count, .. hiddenWidths], task.OutputCount, "student", data.Train.StudentInput.device);
        var pair = new MlpPair(student, teacher, data.ClassCount, data.Train.TeacherInput, data.Train.Targets);
        return new PreparedStudent(label, seed, student, terms(pair).ToArray());
    }

    /// <summary>
    /// A CRD term on the last hidden features of the pair with the given options (e.g. <see cref="ZPolicy.RunningEstimate"/>),
    /// K capped at the training rows minus one by <see cref="MlpDistillation.Crd"/>, and negatives from the other class.
    /// </summary>
    /// <param name="pair">Student, teacher and training rows.</param>
    /// <param name="options">CRD options; <see cref="CrdOptions.Negatives"/> is capped at N − 1.</param>
    /// <param name="weight">Weight of the term; RepDistiller's β = 0.8 when null.</param>
    public static DistillationTerm CrdTerm(MlpPair pair, CrdOptions options, double? weight = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DistillationTerm(MlpDistillation.Crd(pair, options), weight ?? MlpDistillation.DefaultWeight(DistillationMethod.Crd));
    }

    /// <summary>The term of <see cref="CrdTerm"/> wrapped in a <see cref="CrdZTrace"/>, which records Z after every step
    /// (the loss and its training are unchanged).</summary>
    /// <param name="pair">Student, teacher and training rows.</param>
    /// <param name="options">CRD options; <see cref="CrdOptions.Negatives"/> is capped at N − 1.</param>
    /// <param name="weight">Weight of the term; RepDistiller's β = 0.8 when null.</param>
    public static DistillationTerm TracedCrdTerm(MlpPair pair, CrdOptions options, double? weight = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new DistillationTerm(new CrdZTrace(MlpDistillation.Crd(pair, options)), weight ?? MlpDistillation.DefaultWeight(DistillationMethod.Crd));
    }

    /// <summary>Trains a prepared student with its terms and evaluates it on the test split.</summary>
    /// <param name="data">Splits with both views.</param>
    /// <param name="teacher">The trained teacher (frozen by the distiller).</param>
    /// <param name="prepared">From <see cref="Prepare(TeacherStudentData, Mlp, IReadOnlyList{DistillationMethod}, IReadOnlyList{int}, int)"/>.</param>
    /// <param name="options">Training settings.</param>
    /// <param name="progress">Per-epoch progress.</param>
    /// <param name="checkpoints">Where the run's checkpoint is written and resumed from (student, loss state such as CRD's
    /// memory, optimizer); none when null.</param>
    /// <param name="cancellation">Stops training after the current epoch (its checkpoint is written first); the result then
    /// holds the epochs trained so far.</param>
    public static CombinedRun Train(TeacherStudentData data, Mlp teacher, PreparedStudent prepared, TrainingOptions options,
                                    IProgress<EpochRecord>? progress = null, CheckpointOptions? checkpoints = null,
                                    CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(prepared);
        var task = ClassificationTask.For(data.ClassCount);
        var distiller = Distiller.Create(prepared.Student, teacher, task.Loss, prepared.Terms);
        var objective = new DistillationObjective(prepared.Student, distiller, task);
        var result = new SupervisedTrainer(options, checkpoints).Fit(objective, data.Train, data.Validation, prepared.Seed, progress, cancellation);
        return new CombinedRun(prepared.Label, prepared.Seed, prepared.Student, prepared.Terms, objective.Evaluate(data.Test), result);
    }

    /// <summary>Trains a student for every combination and seed, reporting each finished run.</summary>
    /// <param name="data">Splits with both views.</param>
    /// <param name="teacher">The trained teacher.</param>
    /// <param name="combinations">Method lists, e.g. <c>[[None], [Kd], [Crd], [Crd, Kd]]</c>.</param>
    /// <param name="hiddenWidths">The students' hidden widths.</param>
    /// <param name="options">Training settings.</param>
    /// <param name="seeds">Seeds of initialisation and batch order.</param>
    /// <param name="progress">Receives each finished run.</param>
    public static IReadOnlyList<CombinedRun> CompareCombinations(TeacherStudentData data, Mlp teacher,
                                                                 IEnumerable<IReadOnlyList<DistillationMethod>> combinations,
                                                                 IReadOnlyList<int> hiddenWidths, TrainingOptions options, IEnumerable<int> seeds,
                                                                 IProgress<CombinedRun>? progress = null)
    {
        var runs = new List<CombinedRun>();
        var seedList = seeds.ToArray();
        foreach (var methods in combinations)
            foreach (int seed in seedList)
            {
                var run = Train(data, teacher, Prepare(data, teacher, methods, hiddenWidths, seed), options);
                runs.Add(run);
                progress?.Report(run);
            }
        return runs;
    }

    /// <summary>One row per combination (in first-seen order) with each named test metric's mean ± std over seeds,
    /// ready for <see cref="ResultSummary.ToMarkdown"/>.</summary>
    public static IReadOnlyList<ResultRow> Summarise(IEnumerable<CombinedRun> runs, IReadOnlyList<string> metrics)
        => runs.GroupBy(r => r.Label)
               .Select(g => new ResultRow(g.Key, metrics.ToDictionary(m => m, m => MeanStd.Of(g.Select(r => r.Test.Metrics[m]).ToArray()))))
               .ToArray();
}
