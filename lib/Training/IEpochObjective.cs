using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Training;

/// <summary>The named values of one optimisation step, read to the host in one transfer.</summary>
/// <param name="Total">The loss the (last) optimiser minimised; NaN or infinite stops the run.</param>
/// <param name="Terms">Every named, unweighted part (for distillation "task" and each term; for BeatGAN "d_real",
/// "d_fake", "reconstruction", "adversarial" and the terms); NaN or infinite stops the run naming it.</param>
public sealed record StepValues(double Total, IReadOnlyDictionary<string, double> Terms)
{
    /// <summary>Whether the total and every term are finite.</summary>
    public bool IsFinite => double.IsFinite(Total) && Terms.Values.All(double.IsFinite);
}

/// <summary>Wall times at an epoch's end.</summary>
/// <param name="Run">Since the start of training, the epochs before a resume included.</param>
/// <param name="Epoch">Of this epoch's steps.</param>
public readonly record struct EpochTime(TimeSpan Run, TimeSpan Epoch);

/// <summary>What an epoch's end decided: its record for the history, and whether training stops after it.</summary>
/// <param name="Record">The epoch's record (progress, history, checkpoint).</param>
/// <param name="Stop">Whether the run ends after this epoch although epochs remain (early stopping).</param>
public sealed record EpochEnd<TEpoch>(TEpoch Record, bool Stop);

/// <summary>What <see cref="Trainer"/> runs, epoch by epoch, whatever its batches are: a classifier (a teacher, or a student
/// through a <see cref="Distillation.Distiller"/>), the BeatGAN teacher's generator and discriminator, or a BeatGAN student.</summary>
/// <remarks>
/// The trainer owns what every run shares: the epochs, the batch order, NaN/Inf detection naming the term, cancellation,
/// progress, and the one checkpoint format (<see cref="Checkpoints.Checkpoint"/>) written from <see cref="Modules"/>,
/// <see cref="Optimizers"/>, <see cref="Generators"/>, <see cref="Best"/> and <see cref="SaveState"/>. The objective owns what
/// is its own: how a batch becomes a step (one optimiser, or the discriminator's and then the generator's, as a GAN needs),
/// and what an epoch's end does (validation, keeping the best weights, the learning-rate schedule, early stopping).
/// </remarks>
/// <typeparam name="TBatch">What one step reads (rows of a table, beats and their row indices).</typeparam>
/// <typeparam name="TEpoch">The record of one epoch.</typeparam>
public interface IEpochObjective<TBatch, TEpoch>
{
    /// <summary>The number of epochs to run (fewer when <see cref="EndEpoch"/> stops early).</summary>
    int Epochs { get; }

    /// <summary>Which training rows each epoch's steps read, in order.</summary>
    IBatchOrder Order { get; }

    /// <summary>Everything the run was built from that its tensors do not reveal (sizes, options, data, terms), in words; a
    /// checkpoint written with other settings is refused. It includes <see cref="IBatchOrder.Describe"/>.</summary>
    string Settings { get; }

    /// <summary>Every module whose whole state (parameters and buffers) a resumed run needs, by a name that is the same in
    /// every run built alike: the networks trained, and every loss with state (CRD's memory banks, a regressor's statistics).</summary>
    IReadOnlyDictionary<string, nn.Module> Modules { get; }

    /// <summary>The optimisers, by name (one, or a GAN's two).</summary>
    IReadOnlyDictionary<string, OptimizerHelper> Optimizers { get; }

    /// <summary>Torch generators besides torch's global one that the run draws from (a CRD sampler's own), by name.</summary>
    IReadOnlyDictionary<string, torch.Generator> Generators { get; }

    /// <summary>The best epoch's weights the objective keeps, by module name; empty when it selects none.</summary>
    IReadOnlyDictionary<string, ModelSnapshot> Best { get; }

    /// <summary>Called once before the first epoch (after a resume): computes what stays fixed during training, such as a
    /// frozen teacher's pass on the training rows; the trainer disposes the result at the end.</summary>
    IDisposable? Prepare();

    /// <summary>The batch of training rows <paramref name="rows"/> (positions 0..N-1 of the training set).</summary>
    TBatch Batch(long[] rows);

    /// <summary>One optimisation step on <paramref name="batch"/> (every optimiser's update), and its values. An objective
    /// that can tell before updating leaves the weights alone when a value is not finite.</summary>
    /// <param name="batch">The step's batch.</param>
    /// <param name="epoch">The 1-based epoch.</param>
    /// <param name="index">The 1-based step within the epoch.</param>
    StepValues Step(TBatch batch, int epoch, int index);

    /// <summary>Ends epoch <paramref name="epoch"/>: validates, keeps the best weights, schedules, and returns the record.</summary>
    /// <param name="epoch">The 1-based epoch just trained.</param>
    /// <param name="total">Mean total loss over the epoch's steps.</param>
    /// <param name="terms">Mean of every named step value over the epoch's steps.</param>
    /// <param name="elapsed">Wall time of the run so far (the epochs before a resume included) and of this epoch.</param>
    EpochEnd<TEpoch> EndEpoch(int epoch, double total, IReadOnlyDictionary<string, double> terms, EpochTime elapsed);

    /// <summary>The objective's own counters after an epoch (best epoch, schedule, logs), for the checkpoint.</summary>
    JsonElement SaveState();

    /// <summary>Whether the run ended before its epoch limit (early stopping); after <see cref="RestoreState"/>, whether the
    /// restored run had.</summary>
    bool Stopped { get; }

    /// <summary>Restores <see cref="SaveState"/>'s counters and the history from a checkpoint, before training resumes.</summary>
    /// <exception cref="ArgumentException">The state is inconsistent; the trainer reports the file as corrupt.</exception>
    void RestoreState(JsonElement state, IReadOnlyList<TEpoch> history);
}
