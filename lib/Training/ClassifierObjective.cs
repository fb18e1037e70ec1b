using Distill.Data;
using Distill.Data.Tabular;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Training;

/// <summary>Plain supervised training of one classifier on one input view (a teacher, or a student without distillation).</summary>
/// <param name="model">The classifier; its output width must equal the task's <see cref="ClassificationTask.OutputCount"/>.</param>
/// <param name="task">Task loss and evaluation.</param>
/// <param name="view">Which columns the model reads.</param>
public sealed class ClassifierObjective(nn.Module<Tensor, Tensor> model, ClassificationTask task, InputView view) : ITrainingObjective
{
    /// <inheritdoc />
    public nn.Module Model => model;

    /// <inheritdoc />
    public void SetTraining(bool training) => model.train(training);

    /// <inheritdoc />
    public IEnumerable<TorchSharp.Modules.Parameter> Parameters() => model.parameters();

    /// <inheritdoc />
    public IReadOnlyDictionary<string, nn.Module> LossModules { get; } = new Dictionary<string, nn.Module>(); // the task loss has no state

    /// <inheritdoc />
    public IReadOnlyDictionary<string, torch.Generator> Generators { get; } = new Dictionary<string, torch.Generator>();

    /// <inheritdoc />
    /// <remarks>Null: a classifier trained on its labels reads no frozen network.</remarks>
    public IDisposable? CacheTeacherPasses(TabularSplit train, int batchSize) => null;

    /// <inheritdoc />
    public StepLoss Loss(TabularSplit batch)
    {
        var loss = task.Loss(model.call(view.Of(batch)), batch.Targets);
        return new StepLoss(loss, new Dictionary<string, Tensor> { ["task"] = loss });
    }

    /// <inheritdoc />
    public ClassifierEvaluation Evaluate(TabularSplit split) => task.Evaluate(Predict(model, view.Of(split)), split.Targets);

    /// <summary>Logits of a model over a whole input, in evaluation batches without gradient.</summary>
    public static Tensor Predict(nn.Module<Tensor, Tensor> model, Tensor input, int batchSize = 1024)
    {
        using var noGrad = no_grad();
        var parts = MiniBatches.Sequential(input.shape[0], batchSize, input.device).Select(rows => model.call(input.index_select(0, rows))).ToArray();
        return cat(parts, 0);
    }
}
