using Distill.Data.Tabular;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Training;

/// <summary>A batch's loss: the total that is back-propagated and its named parts for logging.</summary>
/// <param name="Total">Scalar loss to minimise.</param>
/// <param name="Terms">Named, unweighted parts (for example "task", "kd").</param>
public sealed record StepLoss(Tensor Total, IReadOnlyDictionary<string, Tensor> Terms);

/// <summary>What a <see cref="SupervisedTrainer"/> optimises on a table: a teacher's plain task loss, or a student's distillation loss
/// (<see cref="SupervisedTrainer"/> runs it on the one <see cref="Trainer"/>).</summary>
public interface ITrainingObjective
{
    /// <summary>The model being trained; its weights at the best validation epoch are restored at the end.</summary>
    nn.Module Model { get; }

    /// <summary>Switches what is trained (the model and any loss with trainable parts; never a frozen teacher)
    /// to training mode, or to evaluation mode for validation.</summary>
    void SetTraining(bool training);

    /// <summary>Parameters the optimizer updates.</summary>
    IEnumerable<TorchSharp.Modules.Parameter> Parameters();

    /// <summary>Modules besides <see cref="Model"/> whose whole state (parameters and buffers) a checkpoint must hold for a
    /// resumed run to continue exactly, each under a name that is the same in every run built alike (for distillation:
    /// every term's loss, by its name).</summary>
    /// <remarks>Buffers are the point: CRD's memory banks and its Z, a regressor's BatchNorm statistics. State a loss keeps
    /// outside its tensors would be lost, so losses keep what affects later steps in buffers (CRD's Z is negative until the
    /// first batch sets it, rather than a flag) and draw random numbers from torch's global generator or from one listed in
    /// <see cref="Generators"/>.</remarks>
    IReadOnlyDictionary<string, nn.Module> LossModules { get; }

    /// <summary>Torch generators besides torch's global one that the objective draws from (a CRD sampler built with its own
    /// generator), by a stable name; a checkpoint holds their states.</summary>
    IReadOnlyDictionary<string, torch.Generator> Generators { get; }

    /// <summary>Computes once what the mini-batches of <paramref name="train"/> will read of frozen networks (a distillation
    /// teacher's pass), so that <see cref="Loss"/> reads it by row instead of recomputing it; null when there is nothing to cache.</summary>
    /// <remarks>The trainer calls it before the first epoch and disposes the result when training ends; every batch given to
    /// <see cref="Loss"/> meanwhile is rows of <paramref name="train"/>. <see cref="Evaluate"/> never reads it.</remarks>
    /// <param name="train">The training rows.</param>
    /// <param name="batchSize">The trainer's batch size (frozen networks run on batches of that size, as in training).</param>
    IDisposable? CacheTeacherPasses(TabularSplit train, int batchSize);

    /// <summary>The loss of one mini-batch (modules are in training mode).</summary>
    StepLoss Loss(TabularSplit batch);

    /// <summary>Evaluates the model on a whole split (modules in evaluation mode, no gradient).</summary>
    ClassifierEvaluation Evaluate(TabularSplit split);
}
