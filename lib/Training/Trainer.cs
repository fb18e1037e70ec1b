using System.Diagnostics;
using Distill.Training.Checkpoints;
using static TorchSharp.torch;

namespace Distill.Training;

/// <summary>Progress of a run after one step: its position and values, for progress lines with a rate and an ETA.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Epochs of the run.</param>
/// <param name="Batch">1-based step within the epoch.</param>
/// <param name="Batches">Steps per epoch.</param>
/// <param name="Values">The step's values.</param>
public sealed record StepProgress(int Epoch, int Epochs, int Batch, int Batches, StepValues Values);

/// <summary>What a run of <see cref="Trainer"/> did.</summary>
/// <param name="History">Every epoch's record, those restored from a checkpoint first.</param>
/// <param name="Cancelled">Whether cancellation ended the run between steps; the unfinished epoch is not in
/// <see cref="History"/>, and a checkpoint holds the last completed one.</param>
/// <typeparam name="TEpoch">The objective's epoch record.</typeparam>
public sealed record TrainerRun<TEpoch>(IReadOnlyList<TEpoch> History, bool Cancelled);

/// <summary>The one training loop of the library, for every objective (<see cref="IEpochObjective{TBatch, TEpoch}"/>): the
/// epochs, each epoch's batches from the objective's batch order, every step's values read once and checked for NaN and
/// infinity (naming the term), progress per step and per epoch, cancellation between steps, and resumable checkpoints in
/// one format (<see cref="Checkpoint"/>).</summary>
/// <remarks>A resumed run restores the modules, optimisers, generators, best weights, counters and history of the last
/// checkpoint, and continues with the next epoch's batches, which the batch order derives from the seed and the epoch; on
/// the CPU it is bit-identical to a run that never stopped.</remarks>
/// <param name="checkpoints">Where to write a checkpoint and whether to resume from it; none when null.</param>
public sealed class Trainer(CheckpointOptions? checkpoints = null)
{
    /// <summary>Runs <paramref name="objective"/> from its first epoch, or from the checkpoint's next one.</summary>
    /// <param name="objective">What is trained.</param>
    /// <param name="epochs">Receives each epoch's record after its checkpoint is written; not called for restored epochs.</param>
    /// <param name="steps">Receives every step's values.</param>
    /// <param name="cancellation">Ends the run before the next step; the completed epochs' checkpoint is kept.</param>
    /// <exception cref="NonFiniteLossException">A step's loss or a term became NaN or infinite; the last good checkpoint is kept.</exception>
    /// <exception cref="CorruptCheckpointException">The checkpoint to resume from is unreadable or does not fit.</exception>
    public TrainerRun<TEpoch> Fit<TBatch, TEpoch>(IEpochObjective<TBatch, TEpoch> objective, IProgress<TEpoch>? epochs = null,
                                                  IProgress<StepProgress>? steps = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        checkpoints?.Validate();
        var history = new List<TEpoch>();
        int savedEpoch = 0;
        var earlier = TimeSpan.Zero;
        bool stopped = false;
        if (checkpoints is { Resume: true } && File.Exists(checkpoints.Path))
        {
            var state = Checkpoint.Load(checkpoints.Path, checkpoints.Settings, objective);
            history.AddRange(state.History);
            savedEpoch = state.Epoch;
            stopped = objective.Stopped;
        }
        using var prepared = objective.Prepare();
        var clock = Stopwatch.StartNew();
        for (int epoch = savedEpoch + 1; epoch <= objective.Epochs && !stopped; epoch++)
        {
            var epochClock = Stopwatch.StartNew();
            var batches = objective.Order.Epoch(epoch);
            if (batches.Count == 0)
                throw new InvalidOperationException($"The training split has {objective.Order.Count} rows: not enough for one batch of at least 2 rows.");
            double total = 0;
            var sums = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int b = 0; b < batches.Count; b++)
            {
                if (cancellation.IsCancellationRequested) return new TrainerRun<TEpoch>(history, Cancelled: true);
                StepValues values;
                using (NewDisposeScope()) values = objective.Step(objective.Batch(batches[b]), epoch, b + 1);
                if (!values.IsFinite) throw new NonFiniteLossException(epoch, b + 1, values.Total, values.Terms, Kept(savedEpoch));
                total += values.Total;
                foreach (var (name, value) in values.Terms) sums[name] = sums.GetValueOrDefault(name) + value;
                steps?.Report(new StepProgress(epoch, objective.Epochs, b + 1, batches.Count, values));
            }
            var means = sums.ToDictionary(kv => kv.Key, kv => kv.Value / batches.Count, StringComparer.Ordinal);
            var end = objective.EndEpoch(epoch, total / batches.Count, means, new EpochTime(earlier + clock.Elapsed, epochClock.Elapsed));
            history.Add(end.Record);
            bool last = end.Stop || epoch == objective.Epochs || cancellation.IsCancellationRequested;
            if (checkpoints is not null && checkpoints.IsDue(epoch, last))
            {
                Checkpoint.Save(checkpoints.Path, new CheckpointState<TEpoch>(Checkpoint.FormatVersion, objective.Settings, checkpoints.Settings, epoch, history.ToArray(),
                                                                             objective.SaveState()), objective);
                savedEpoch = epoch;
            }
            epochs?.Report(end.Record);
            stopped = end.Stop;
        }
        return new TrainerRun<TEpoch>(history, Cancelled: false);
    }

    private string Kept(int savedEpoch) => (checkpoints, savedEpoch) switch
    {
        (null, _) => "No checkpoint was written (none was asked for); the networks in memory may hold non-finite weights.",
        (_, 0) => $"No epoch had completed, so no checkpoint was written to '{checkpoints.Path}'.",
        _ => $"The last good checkpoint (epoch {savedEpoch}) is kept at '{checkpoints.Path}'.",
    };
}
