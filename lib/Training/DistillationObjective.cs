using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Losses;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Training;

/// <summary>Training a student through a <see cref="Distiller"/>: its task loss plus the distillation terms, the teacher
/// reading its own (possibly privileged) view of the same rows.</summary>
/// <param name="student">The student, reading the student view: a library model or any TorchSharp module (wrap your own in a
/// <see cref="Distill.Models.HookedFeatureModel"/> to give the distiller its features).</param>
/// <param name="distiller">Task loss, frozen teacher and weighted terms; built for <paramref name="student"/>.</param>
/// <param name="task">How the student is evaluated.</param>
public sealed class DistillationObjective(nn.Module<Tensor, Tensor> student, Distiller distiller, ClassificationTask task) : ITrainingObjective
{
    /// <inheritdoc />
    public nn.Module Model => student;

    /// <inheritdoc />
    public void SetTraining(bool training) => distiller.Train(training);

    /// <inheritdoc />
    public IEnumerable<Parameter> Parameters() => distiller.TrainableParameters();

    /// <inheritdoc />
    /// <remarks>Every term's loss (a stateless one saves an empty state), under the term's name (the <see cref="Distiller"/> keeps names distinct).
    /// The frozen teacher is not among them: it is an input of the run, not state that training changes.</remarks>
    public IReadOnlyDictionary<string, nn.Module> LossModules
        => distiller.Terms.ToDictionary(term => term.Loss.Name, term => (nn.Module)term.Loss);

    /// <inheritdoc />
    /// <remarks>The generator of every <see cref="ISamplingLoss"/> (CRD's contrastive sampler) wherever it sits in a term's
    /// modules (a wrapper such as CRD's Z trace registers the loss it wraps as a submodule), named <c>term.path.sampler</c>.</remarks>
    public IReadOnlyDictionary<string, torch.Generator> Generators
    {
        get
        {
            var generators = new Dictionary<string, torch.Generator>();
            foreach (var (name, loss) in LossModules)
                foreach (var (path, part) in loss.named_modules().Prepend(("", loss)))
                    if (part is ISamplingLoss { SamplerGenerator: { } generator })
                        generators[path.Length == 0 ? $"{name}.sampler" : $"{name}.{path}.sampler"] = generator;
            return generators;
        }
    }

    /// <inheritdoc />
    /// <remarks>The teacher's pass on the teacher view of <paramref name="train"/>, read by <see cref="TabularSplit.Indices"/>
    /// (<see cref="Distiller.CacheTeacher"/>); null when a term does not declare what it reads.</remarks>
    public IDisposable? CacheTeacherPasses(TabularSplit train, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(train);
        return distiller.CacheTeacher(train.StudentInput, train.TeacherInput, train.Indices, batchSize);
    }

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
