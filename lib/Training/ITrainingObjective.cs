using Distill.Data.Tabular;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Training;

/// <summary>A batch's loss: the total that is back-propagated and its named parts for logging.</summary>
/// <param name="Total">Scalar loss to minimise.</param>
/// <param name="Terms">Named, unweighted parts (for example "task", "kd").</param>
public sealed record StepLoss(Tensor Total, IReadOnlyDictionary<string, Tensor> Terms);

/// <summary>What a <see cref="SupervisedTrainer"/> optimises: a teacher's plain task loss, or a student's distillation loss.</summary>
public interface ITrainingObjective
{
    /// <summary>The model being trained; its weights at the best validation epoch are restored at the end.</summary>
    nn.Module Model { get; }

    /// <summary>Switches what is trained (the model and any loss with trainable parts; never a frozen teacher)
    /// to training mode, or to evaluation mode for validation.</summary>
    void SetTraining(bool training);

    /// <summary>Parameters the optimizer updates.</summary>
    IEnumerable<TorchSharp.Modules.Parameter> Parameters();

    /// <summary>The loss of one mini-batch (modules are in training mode).</summary>
    StepLoss Loss(TabularSplit batch);

    /// <summary>Evaluates the model on a whole split (modules in evaluation mode, no gradient).</summary>
    ClassifierEvaluation Evaluate(TabularSplit split);
}
