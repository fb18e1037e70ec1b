using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Training;

/// <summary>Training a student through a <see cref="Distiller"/>: its task loss plus the distillation terms, the teacher
/// reading its own (possibly privileged) view of the same rows.</summary>
/// <param name="student">The student, reading the student view.</param>
/// <param name="distiller">Task loss, frozen teacher and weighted terms; built for <paramref name="student"/>.</param>
/// <param name="task">How the student is evaluated.</param>
public sealed class DistillationObjective(Mlp student, Distiller distiller, ClassificationTask task) : ITrainingObjective
{
    /// <inheritdoc />
    public nn.Module Model => student;

    /// <inheritdoc />
    public void SetTraining(bool training) => distiller.Train(training);

    /// <inheritdoc />
    public IEnumerable<Parameter> Parameters() => distiller.TrainableParameters();

    /// <inheritdoc />
    public StepLoss Loss(TabularSplit batch)
    {
        var step = distiller.Step(batch.StudentInput, batch.TeacherInput, batch.Targets, batch.Indices);
        return new StepLoss(step.Total, step.Terms);
    }

    /// <inheritdoc />
    public ClassifierEvaluation Evaluate(TabularSplit split)
        => task.Evaluate(ClassifierObjective.Predict(student, InputView.Student.Of(split)), split.Targets);
}
