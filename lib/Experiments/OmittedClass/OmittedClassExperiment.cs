using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Losses;
using Distill.Models;
using Distill.Training;
using static TorchSharp.torch;

namespace Distill.Experiments.OmittedClass;

/// <summary>The settings of the omitted-class experiment, with Hinton et al.'s class and temperature as defaults.</summary>
/// <param name="StudentWidths">Hidden widths of the student.</param>
/// <param name="OmittedClass">The class removed from the transfer set (the paper's 3).</param>
/// <param name="Temperature">Distillation temperature (the paper's 20).</param>
/// <param name="SoftWeight">Weight of the soft-target term next to the hard-label loss (weight 1).</param>
public sealed record OmittedClassOptions(IReadOnlyList<int> StudentWidths, int OmittedClass = HintonOmittedThree.OmittedClass,
                                         double Temperature = HintonOmittedThree.Temperature, double SoftWeight = 1);

/// <summary>Which student a run trained: distilled from the teacher, or from the transfer set's labels alone.</summary>
public enum TransferStudent
{
    /// <summary>Hard labels of the transfer set plus the teacher's soft targets.</summary>
    Distilled,

    /// <summary>Hard labels of the transfer set only: the control, which has no way to learn the omitted class.</summary>
    LabelsOnly,
}

/// <summary>One student of the omitted-class experiment, scored on the whole test split before and after the bias correction.</summary>
/// <param name="Student">Distilled or labels only.</param>
/// <param name="Seed">Seed of initialisation and batch order.</param>
/// <param name="TransferRows">Rows of the transfer set it trained on (none of the omitted class).</param>
/// <param name="BiasShift">The increase of the omitted class's bias, chosen on the validation split.</param>
/// <param name="Before">Test score as trained.</param>
/// <param name="After">Test score with the raised bias.</param>
public sealed record OmittedClassRun(TransferStudent Student, int Seed, long TransferRows, double BiasShift,
                                     OmittedClassScore Before, OmittedClassScore After);

/// <summary>Progress of the experiment: students done, the last one's result, and the time left.</summary>
public sealed record OmittedClassProgress(int Done, int Total, OmittedClassRun Last, ProgressClock Clock)
{
    /// <inheritdoc />
    public override string ToString()
        => $"[{Done}/{Total}] {Last.Student} seed {Last.Seed}: omitted class recognised " +
           $"{Last.Before.OmittedAccuracy:P1} -> {Last.After.OmittedAccuracy:P1} (bias +{Last.BiasShift}); " +
           $"ETA {(Clock.Remaining is { } left ? ProgressClock.Duration(left) : "?")}";
}

/// <summary>Hinton et al.'s omitted-class experiment: a student distilled on a transfer set without one class still
/// recognises that class once its bias is raised.</summary>
/// <remarks>
/// Hinton, Vinyals &amp; Dean, "Distilling the Knowledge in a Neural Network", NIPS Deep Learning Workshop 2015,
/// arXiv:1503.02531, Section 3. The teacher is trained on every class; the student's training and validation rows omit one
/// class (<see cref="TransferSet.Omitting"/>), so neither its gradient steps nor its early stopping ever see it. Its loss is
/// the cross-entropy on the transfer set's labels plus <see cref="OmittedClassOptions.SoftWeight"/> times
/// <see cref="KnowledgeDistillationLoss"/> at temperature T (Eq. 2's T² scaling). The only knowledge of the omitted class it
/// can get is the teacher's probability of that class on the other classes' images. Then the omitted class's bias is
/// raised by the shift that minimises errors on the full validation split (<see cref="BiasCorrection"/>; the paper chose
/// it on the test set). A labels-only student trained on the same transfer set is the control.
/// </remarks>
public static class OmittedClassExperiment
{
    /// <summary>Trains both students for every seed and scores them on the full test split.</summary>
    /// <param name="data">Splits of the full data set (all classes); the teacher and the student read their views.</param>
    /// <param name="teacher">The teacher, trained on every class.</param>
    /// <param name="options">Student widths, omitted class, temperature, soft-target weight.</param>
    /// <param name="training">Training settings of each student.</param>
    /// <param name="seeds">Seeds of the students.</param>
    /// <param name="progress">Receives each finished student with the time left.</param>
    public static IReadOnlyList<OmittedClassRun> Run(TeacherStudentData data, Mlp teacher, OmittedClassOptions options,
                                                     TrainingOptions training, IReadOnlyList<int> seeds,
                                                     IProgress<OmittedClassProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var transfer = data with
        {
            Train = TransferSet.Omitting(data.Train, options.OmittedClass),
            Validation = TransferSet.Omitting(data.Validation, options.OmittedClass),
        };
        var students = Enum.GetValues<TransferStudent>();
        var clock = new ProgressClock();
        clock.Update(0, students.Length * seeds.Count);
        var runs = new List<OmittedClassRun>();
        foreach (int seed in seeds)
            foreach (var student in students)
            {
                runs.Add(Train(data, transfer, teacher, student, options, training, seed));
                clock.Update(runs.Count, students.Length * seeds.Count);
                progress?.Report(new OmittedClassProgress(runs.Count, students.Length * seeds.Count, runs[^1], clock));
            }
        return runs;
    }

    /// <summary>The teacher's score on the test split (its view), for the table beside the students'.</summary>
    public static OmittedClassScore ScoreTeacher(TeacherStudentData data, Mlp teacher, int omittedClass)
        => OmittedClassScore.Of(Logits(teacher, data.Test.TeacherInput), data.Test.Targets, omittedClass);

    private static OmittedClassRun Train(TeacherStudentData data, TeacherStudentData transfer, Mlp teacher,
                                         TransferStudent student, OmittedClassOptions options, TrainingOptions training, int seed)
    {
        var prepared = TabularDistillationCombined.Prepare(transfer, teacher, student.ToString(), options.StudentWidths, seed,
            _ => student == TransferStudent.Distilled
                ? new[] { new DistillationTerm(new KnowledgeDistillationLoss(options.Temperature), options.SoftWeight) }
                : Array.Empty<DistillationTerm>());
        var run = TabularDistillationCombined.Train(transfer, teacher, prepared, training);
        var before = OmittedClassScore.Of(Logits(run.Student, data.Test.StudentInput), data.Test.Targets, options.OmittedClass);
        double shift = BiasCorrection.BestShift(Logits(run.Student, data.Validation.StudentInput), data.Validation.Targets,
                                                options.OmittedClass);
        BiasCorrection.RaiseBias(run.Student, options.OmittedClass, shift);
        var after = OmittedClassScore.Of(Logits(run.Student, data.Test.StudentInput), data.Test.Targets, options.OmittedClass);
        return new OmittedClassRun(student, seed, transfer.Train.Count, shift, before, after);
    }

    private static Tensor Logits(Mlp model, Tensor input)
    {
        bool wasTraining = model.training;
        model.eval();
        using (no_grad())
        {
            var logits = model.call(input);                                                  // [N, C]
            model.train(wasTraining);
            return logits;
        }
    }
}
