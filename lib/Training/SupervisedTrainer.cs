using System.Diagnostics;
using Distill.Data;
using Distill.Data.Tabular;
using Distill.Losses;
using Distill.Training.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Training;

/// <summary>Trains an <see cref="ITrainingObjective"/> with Adam, ReduceLROnPlateau on the validation metric,
/// best-model selection and early stopping, reporting every epoch and optionally writing resumable checkpoints.</summary>
/// <remarks>
/// This is the seed's training loop (Adam; ReduceLROnPlateau(mode=max, factor 0.5, patience 1, abs threshold,
/// min_lr 1e-6) on validation F1; keep the best model) made reproducible: each epoch's batch order is drawn from a
/// <see cref="Random"/> seeded by (seed, epoch), so a run resumed from a checkpoint draws the same batches as one that
/// never stopped, and the model's weights at its best validation epoch are restored when training ends.
/// </remarks>
/// <param name="options">Epochs, batch size, learning rate, schedule and patience.</param>
/// <param name="checkpoints">Where to write checkpoints and whether to resume from one; none when null.</param>
public sealed class SupervisedTrainer(TrainingOptions options, CheckpointOptions? checkpoints = null)
{
    /// <summary>Trains on <paramref name="train"/>, selects on <paramref name="validation"/>, and reports each epoch to <paramref name="progress"/>.</summary>
    /// <param name="objective">What is optimised.</param>
    /// <param name="train">Training rows.</param>
    /// <param name="validation">Validation rows.</param>
    /// <param name="seed">Seed of the batch order.</param>
    /// <param name="progress">Receives one record per epoch (console, notebook display); not called for epochs restored from a checkpoint.</param>
    /// <param name="cancellation">Stops after the current epoch when cancelled (a checkpoint is written first).</param>
    /// <exception cref="NonFiniteLossException">A batch's loss became NaN or infinite; the last good checkpoint is kept.</exception>
    /// <exception cref="CorruptCheckpointException">The checkpoint to resume from is unreadable or does not fit.</exception>
    public TrainingResult Fit(ITrainingObjective objective, TabularSplit train, TabularSplit validation, int seed,
                              IProgress<EpochRecord>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        checkpoints?.Validate();
        var optimizer = optim.Adam(objective.Parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay);
        var scheduler = new PlateauScheduler(options.Plateau);
        var best = new ModelSnapshot(objective.Model);
        var history = new List<EpochRecord>();
        double bestMetric = double.NegativeInfinity;
        int bestEpoch = 0, savedEpoch = 0;
        var earlier = TimeSpan.Zero;
        if (checkpoints is { Resume: true } && File.Exists(checkpoints.Path))
        {
            var state = TrainingCheckpoint.Load(checkpoints.Path, seed, checkpoints.Settings, objective, optimizer, best);
            history.AddRange(state.History);
            (bestMetric, bestEpoch, savedEpoch) = (state.BestMetric, state.BestEpoch, state.Epoch);
            scheduler.Restore(state.PlateauBest, state.PlateauBadEpochs);
            SetLearningRate(optimizer, state.LearningRate);
            earlier = history.Count > 0 ? history[^1].Elapsed : TimeSpan.Zero;
        }
        // Recomputed identically on resume: the teacher is frozen and in eval mode.
        using var cache = options.CacheTeacherPasses ? objective.CacheTeacherPasses(train, options.BatchSize) : null;
        var clock = Stopwatch.StartNew();
        bool stoppedEarly = savedEpoch > 0 && savedEpoch - bestEpoch >= options.EarlyStoppingPatience;

        for (int epoch = savedEpoch + 1; epoch <= options.Epochs && !stoppedEarly && !cancellation.IsCancellationRequested; epoch++)
        {
            double learningRate = optimizer.ParamGroups.First().LearningRate;
            var (trainLoss, terms) = RunEpoch(objective, optimizer, train, EpochSeed.For(seed, epoch), epoch, savedEpoch);
            var evaluation = Evaluate(objective, validation);
            bool isBest = evaluation.Primary > bestMetric;
            if (isBest)
            {
                bestMetric = evaluation.Primary;
                bestEpoch = epoch;
                best.Capture();
            }
            SetLearningRate(optimizer, scheduler.Step(evaluation.Primary, learningRate));
            var record = new EpochRecord(epoch, options.Epochs, trainLoss, terms, evaluation, learningRate, isBest, earlier + clock.Elapsed);
            history.Add(record);
            bool stop = epoch - bestEpoch >= options.EarlyStoppingPatience;
            if (checkpoints is not null && checkpoints.IsDue(epoch, stop || epoch == options.Epochs || cancellation.IsCancellationRequested))
            {
                var state = new TrainerState(TrainingCheckpoint.FormatVersion, seed, checkpoints.Settings, epoch, bestEpoch, bestMetric,
                                             optimizer.ParamGroups.First().LearningRate, scheduler.Best, scheduler.BadEpochs, history.ToArray());
                TrainingCheckpoint.Save(checkpoints.Path, state, objective, optimizer, best);
                savedEpoch = epoch;
            }
            progress?.Report(record);
            stoppedEarly = stop && epoch < options.Epochs;
        }
        best.Restore();
        best.Dispose();
        objective.SetTraining(false); // ready for evaluation with the kept weights
        return new TrainingResult(history, bestEpoch, stoppedEarly);
    }

    private static void SetLearningRate(optim.Optimizer optimizer, double learningRate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
    }

    private (double Loss, IReadOnlyDictionary<string, double> Terms) RunEpoch(ITrainingObjective objective, optim.Optimizer optimizer,
                                                                              TabularSplit train, Random rng, int epoch, int savedEpoch)
    {
        objective.SetTraining(true);
        double total = 0;
        var sums = new Dictionary<string, double>();
        int batches = 0;
        foreach (var positions in MiniBatches.Shuffled(train.Count, options.BatchSize, rng))
        {
            using var scope = NewDisposeScope();
            StepLoss step;
            // The losses leave NaN/Inf detection to the one read of the step's values below, which names the term.
            using (InputFinitenessChecks.DeferToLossValues()) step = objective.Loss(train.Rows(positions));
            // The total and every term in one device-to-host transfer.
            var read = LossReadout.Read([step.Total, .. step.Terms.Values]);
            double value = read[0];
            var terms = step.Terms.Keys.Select((name, i) => (name, read[1 + i])).ToDictionary(t => t.name, t => t.Item2);
            if (!double.IsFinite(value) || terms.Values.Any(v => !double.IsFinite(v)))
                throw new NonFiniteLossException(epoch, batches + 1, value, terms, Kept(savedEpoch));
            optimizer.zero_grad();
            step.Total.backward();
            optimizer.step();
            total += value;
            foreach (var (name, term) in terms) sums[name] = sums.GetValueOrDefault(name) + term;
            batches++;
        }
        if (batches == 0)
            throw new InvalidOperationException($"The training split has {train.Count} rows: not enough for one batch of at least 2 rows.");
        return (total / batches, sums.ToDictionary(kv => kv.Key, kv => kv.Value / batches));
    }

    private string Kept(int savedEpoch) => (checkpoints, savedEpoch) switch
    {
        (null, _) => "No checkpoint was written (none was asked for).",
        (_, 0) => $"No epoch had completed, so no checkpoint was written to '{checkpoints.Path}'.",
        _ => $"The last good checkpoint (epoch {savedEpoch}) is kept at '{checkpoints.Path}'.",
    };

    private static ClassifierEvaluation Evaluate(ITrainingObjective objective, TabularSplit validation)
    {
        objective.SetTraining(false);
        using var scope = NewDisposeScope();
        return objective.Evaluate(validation);
    }
}
