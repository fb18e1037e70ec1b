using System.Diagnostics;
using Distill.Data;
using Distill.Data.Tabular;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Training;

/// <summary>Trains an <see cref="ITrainingObjective"/> with Adam, ReduceLROnPlateau on the validation metric,
/// best-model selection and early stopping, reporting every epoch.</summary>
/// <remarks>
/// This is the seed's training loop (Adam; ReduceLROnPlateau(mode=max, factor 0.5, patience 1, abs threshold,
/// min_lr 1e-6) on validation F1; keep the best model) made reproducible: batches are drawn from a seeded
/// <see cref="Random"/>, and the model's weights at its best validation epoch are restored when training ends.
/// </remarks>
/// <param name="options">Epochs, batch size, learning rate, schedule and patience.</param>
public sealed class SupervisedTrainer(TrainingOptions options)
{
    /// <summary>Trains on <paramref name="train"/>, selects on <paramref name="validation"/>, and reports each epoch to <paramref name="progress"/>.</summary>
    /// <param name="objective">What is optimised.</param>
    /// <param name="train">Training rows.</param>
    /// <param name="validation">Validation rows.</param>
    /// <param name="seed">Seed of the batch order.</param>
    /// <param name="progress">Receives one record per epoch (console, notebook display).</param>
    /// <param name="cancellation">Stops after the current epoch when cancelled.</param>
    public TrainingResult Fit(ITrainingObjective objective, TabularSplit train, TabularSplit validation, int seed,
                              IProgress<EpochRecord>? progress = null, CancellationToken cancellation = default)
    {
        options.Validate();
        var rng = new Random(seed);
        var optimizer = optim.Adam(objective.Parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay);
        var plateau = options.Plateau;
        var scheduler = optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode: "max", factor: plateau.Factor, patience: plateau.Patience,
            threshold: plateau.Threshold, threshold_mode: "abs", min_lr: [plateau.MinLearningRate]);
        var best = new ModelSnapshot(objective.Model);
        var history = new List<EpochRecord>();
        double bestMetric = double.NegativeInfinity;
        int bestEpoch = 0;
        var clock = Stopwatch.StartNew();
        bool stoppedEarly = false;

        for (int epoch = 1; epoch <= options.Epochs && !cancellation.IsCancellationRequested; epoch++)
        {
            double learningRate = optimizer.ParamGroups.First().LearningRate;
            var (trainLoss, terms) = RunEpoch(objective, optimizer, train, rng, epoch);
            var evaluation = Evaluate(objective, validation);
            bool isBest = evaluation.Primary > bestMetric;
            if (isBest)
            {
                bestMetric = evaluation.Primary;
                bestEpoch = epoch;
                best.Capture();
            }
            scheduler.step(evaluation.Primary);
            var record = new EpochRecord(epoch, options.Epochs, trainLoss, terms, evaluation, learningRate, isBest, clock.Elapsed);
            history.Add(record);
            progress?.Report(record);
            if (epoch - bestEpoch >= options.EarlyStoppingPatience)
            {
                stoppedEarly = epoch < options.Epochs;
                break;
            }
        }
        best.Restore();
        best.Dispose();
        objective.SetTraining(false); // ready for evaluation with the kept weights
        return new TrainingResult(history, bestEpoch, stoppedEarly);
    }

    private (double Loss, IReadOnlyDictionary<string, double> Terms) RunEpoch(ITrainingObjective objective, optim.Optimizer optimizer,
                                                                              TabularSplit train, Random rng, int epoch)
    {
        objective.SetTraining(true);
        double total = 0;
        var sums = new Dictionary<string, double>();
        int batches = 0;
        foreach (var positions in MiniBatches.Shuffled(train.Count, options.BatchSize, rng))
        {
            using var scope = NewDisposeScope();
            var step = objective.Loss(train.Rows(positions));
            double value = step.Total.item<float>();
            if (!double.IsFinite(value))
                throw new InvalidOperationException(
                    $"The training loss became {value} at epoch {epoch}, batch {batches + 1} " +
                    $"(terms: {string.Join(", ", step.Terms.Select(t => $"{t.Key}={t.Value.item<float>()}"))}). " +
                    "Lower the learning rate or check the inputs for extreme values.");
            optimizer.zero_grad();
            step.Total.backward();
            optimizer.step();
            total += value;
            foreach (var (name, term) in step.Terms) sums[name] = sums.GetValueOrDefault(name) + term.item<float>();
            batches++;
        }
        if (batches == 0)
            throw new InvalidOperationException($"The training split has {train.Count} rows: not enough for one batch of at least 2 rows.");
        return (total / batches, sums.ToDictionary(kv => kv.Key, kv => kv.Value / batches));
    }

    private static ClassifierEvaluation Evaluate(ITrainingObjective objective, TabularSplit validation)
    {
        objective.SetTraining(false);
        using var scope = NewDisposeScope();
        return objective.Evaluate(validation);
    }
}
