using Distill.Data.Tabular;
using Distill.Losses;
using Distill.Training.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Training;

/// <summary>Trains an <see cref="ITrainingObjective"/> with Adam, ReduceLROnPlateau on the validation metric,
/// best-model selection and early stopping, reporting every epoch and optionally writing resumable checkpoints; its epochs
/// run on the library's one <see cref="Trainer"/>.</summary>
/// <remarks>
/// This is the seed's training loop (Adam; ReduceLROnPlateau(mode=max, factor 0.5, patience 1, abs threshold,
/// min_lr 1e-6) on validation F1; keep the best model) made reproducible: each epoch's batch order is drawn from a
/// <see cref="Random"/> seeded by (seed, epoch) (<see cref="EpochSeededOrder"/>), so a run resumed from a checkpoint draws
/// the same batches as one that never stopped, and the model's weights at its best validation epoch are restored when
/// training ends. A step whose loss or a term is NaN or infinite stops the run before the optimiser applies it.
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
    /// <param name="cancellation">Stops before the next step when cancelled (the completed epochs' checkpoint is kept).</param>
    /// <exception cref="NonFiniteLossException">A batch's loss became NaN or infinite; the last good checkpoint is kept.</exception>
    /// <exception cref="CorruptCheckpointException">The checkpoint to resume from is unreadable or does not fit.</exception>
    public TrainingResult Fit(ITrainingObjective objective, TabularSplit train, TabularSplit validation, int seed,
                              IProgress<EpochRecord>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        options.Validate();
        using var run = new SupervisedEpochs(objective, options, train, validation, seed);
        var result = new Trainer(checkpoints).Fit(run, progress, cancellation: cancellation);
        return run.Finish(result.History);
    }

    /// <summary>Reads what a checkpoint of this trainer holds (epoch, best epoch, history), to say what a resume will do.</summary>
    /// <exception cref="CorruptCheckpointException">The file is truncated or corrupt, or from another format version.</exception>
    public static TrainerState ReadCheckpoint(string path)
    {
        var state = Checkpoint.ReadState<EpochRecord>(path);
        var counters = SupervisedEpochs.Counters.Read(state.Objective);
        return new TrainerState(state.FormatVersion, state.Settings, state.Epoch, counters.BestEpoch, counters.BestMetric, counters.LearningRate,
                                counters.PlateauBest, counters.PlateauBadEpochs, state.History);
    }
}

// The classifier objective as the one trainer runs it: Adam on its parameters, validation, best weights, plateau schedule
// and early stopping.
internal sealed class SupervisedEpochs : IEpochObjective<TabularSplit, EpochRecord>, IDisposable
{
    private readonly ITrainingObjective objective;
    private readonly TrainingOptions options;
    private readonly TabularSplit train;
    private readonly TabularSplit validation;
    private readonly Adam optimizer;
    private readonly PlateauScheduler scheduler;
    private readonly ModelSnapshot best;
    private double bestMetric = double.NegativeInfinity;
    private int bestEpoch;
    private bool training;

    public SupervisedEpochs(ITrainingObjective objective, TrainingOptions options, TabularSplit train, TabularSplit validation, int seed)
    {
        this.objective = objective;
        this.options = options;
        this.train = train;
        this.validation = validation;
        optimizer = optim.Adam(objective.Parameters(), lr: options.LearningRate, weight_decay: options.WeightDecay);
        scheduler = new PlateauScheduler(options.Plateau);
        best = new ModelSnapshot(objective.Model);
        Order = new EpochSeededOrder((int)train.Count, options.BatchSize, seed);
        var modules = new Dictionary<string, nn.Module>(StringComparer.Ordinal) { ["model"] = objective.Model };
        foreach (var (name, module) in objective.LossModules) modules[$"losses/{name}"] = module;
        Modules = modules;
        Best = new Dictionary<string, ModelSnapshot> { ["model"] = best };
    }

    public int Epochs => options.Epochs;

    public IBatchOrder Order { get; }

    public string Settings => Order.Describe();

    public IReadOnlyDictionary<string, nn.Module> Modules { get; }

    public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => new Dictionary<string, OptimizerHelper> { ["adam"] = optimizer };

    public IReadOnlyDictionary<string, torch.Generator> Generators => objective.Generators;

    public IReadOnlyDictionary<string, ModelSnapshot> Best { get; }

    public bool Stopped { get; private set; }

    // Recomputed identically on resume: the teacher is frozen and in eval mode.
    public IDisposable? Prepare() => options.CacheTeacherPasses ? objective.CacheTeacherPasses(train, options.BatchSize) : null;

    public TabularSplit Batch(long[] rows) => train.Rows(tensor(rows));

    public StepValues Step(TabularSplit batch, int epoch, int index)
    {
        if (!training) objective.SetTraining(training = true);
        StepLoss step;
        // The losses leave NaN/Inf detection to the one read of the step's values below, which names the term.
        using (InputFinitenessChecks.DeferToLossValues()) step = objective.Loss(batch);
        // The total and every term in one device-to-host transfer.
        var read = LossReadout.Read([step.Total, .. step.Terms.Values]);
        var values = new StepValues(read[0], step.Terms.Keys.Select((name, i) => (name, read[1 + i])).ToDictionary(t => t.name, t => t.Item2));
        if (!values.IsFinite) return values; // the trainer stops the run; the weights stay those of the last good step
        optimizer.zero_grad();
        step.Total.backward();
        optimizer.step();
        return values;
    }

    public EpochEnd<EpochRecord> EndEpoch(int epoch, double total, IReadOnlyDictionary<string, double> terms, EpochTime elapsed)
    {
        double learningRate = optimizer.ParamGroups.First().LearningRate;
        objective.SetTraining(training = false);
        ClassifierEvaluation evaluation;
        using (NewDisposeScope()) evaluation = objective.Evaluate(validation);
        bool isBest = evaluation.Primary > bestMetric;
        if (isBest)
        {
            bestMetric = evaluation.Primary;
            bestEpoch = epoch;
            best.Capture();
        }
        SetLearningRate(scheduler.Step(evaluation.Primary, learningRate));
        bool stop = epoch - bestEpoch >= options.EarlyStoppingPatience;
        Stopped = stop && epoch < options.Epochs;
        return new EpochEnd<EpochRecord>(new EpochRecord(epoch, options.Epochs, total, terms, evaluation, learningRate, isBest, elapsed.Run), stop);
    }

    public System.Text.Json.JsonElement SaveState() => System.Text.Json.JsonSerializer.SerializeToElement(
        new Counters(bestEpoch, bestMetric, optimizer.ParamGroups.First().LearningRate, scheduler.Best, scheduler.BadEpochs), CheckpointZip.Json);

    public void RestoreState(System.Text.Json.JsonElement state, IReadOnlyList<EpochRecord> history)
    {
        var counters = Counters.Read(state);
        if (history.Any(r => r.Validation is null || r.TrainTerms is null))
            throw new ArgumentException("the epochs' history lacks their validation or terms");
        if (counters.BestEpoch < 0 || counters.BestEpoch > history.Count || !(counters.LearningRate > 0) || !double.IsFinite(counters.LearningRate)
            || counters.PlateauBadEpochs < 0)
            throw new ArgumentException($"best epoch {counters.BestEpoch} of {history.Count}, learning rate {counters.LearningRate}, " +
                                        $"plateau count {counters.PlateauBadEpochs}");
        (bestEpoch, bestMetric) = (counters.BestEpoch, counters.BestMetric);
        scheduler.Restore(counters.PlateauBest, counters.PlateauBadEpochs);
        SetLearningRate(counters.LearningRate);
        Stopped = history.Count > 0 && history.Count - bestEpoch >= options.EarlyStoppingPatience;
    }

    /// <summary>Restores the best epoch's weights and returns the run's result.</summary>
    public TrainingResult Finish(IReadOnlyList<EpochRecord> history)
    {
        best.Restore();
        objective.SetTraining(false); // ready for evaluation with the kept weights
        return new TrainingResult(history, bestEpoch, Stopped);
    }

    public void Dispose() => best.Dispose();

    private void SetLearningRate(double learningRate)
    {
        foreach (var group in optimizer.ParamGroups) group.LearningRate = learningRate;
    }

    // The counters a checkpoint holds besides the history.
    internal sealed record Counters(int BestEpoch, double BestMetric, double LearningRate, double PlateauBest, int PlateauBadEpochs)
    {
        public static Counters Read(System.Text.Json.JsonElement state)
            => System.Text.Json.JsonSerializer.Deserialize<Counters>(state, CheckpointZip.Json) ?? throw new ArgumentException("no trainer counters");
    }
}
