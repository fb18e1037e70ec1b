using System.Diagnostics;
using TorchSharp;
using TorchSharp.Modules;
using Distill.Anomaly;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Training.Checkpoints;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Distill.Training.BeatGan;

/// <summary>Trains a BeatGAN generator and discriminator adversarially on normal beats.</summary>
/// <remarks>
/// Zhou et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019,
/// Section 3. Each step updates D with BCE on real beats (target 1) and reconstructions (target 0), then G with
/// L_G = ||x − G(x)||² + w_adv ||f_D(x) − f_D(G(x))||², the paper's reconstruction and pairwise feature-matching
/// losses, f_D being D's last block features. Both networks use Adam.
/// When D's loss falls below a threshold, D is re-drawn with BeatGAN's initialisation so it does not overpower G.
/// After each epoch the anomaly scores of a labelled validation set are rated (ROC AUC in the paper) and the best
/// epoch's weights are kept.
/// Deviations from the authors' code, none changing the losses: D's BCE is taken on logits (see
/// <see cref="BeatGanDiscriminator"/>); the generator runs once per step, its reconstruction (detached) training D and
/// then G, where the authors run it twice on the same batch with the same weights (<see cref="RepeatedBatchNormUpdates"/>
/// keeps BatchNorm's running statistics on their recursion); D's weights are frozen during G's step, since that gradient
/// was never applied; the D loss is checked right after the step as the authors do (Adam's moments and batch-norm
/// running statistics survive a re-initialisation there too). Validation follows <see cref="BeatGanTrainingOptions.Validation"/>:
/// by default as the authors do, in training mode on shuffled batches.
/// With <see cref="CheckpointOptions"/>, both networks, both Adams, torch's generator, the history and the best epoch are
/// written after every epoch (<see cref="Checkpoint"/>), and a run with the same settings resumes from them
/// bit-identically on the CPU.
/// </remarks>
public sealed class BeatGanTrainer
{
    private readonly BeatGanGenerator generator;
    private readonly BeatGanDiscriminator discriminator;
    private readonly BeatGanTrainingOptions options;
    private readonly CheckpointOptions? checkpoints;
    private readonly Adam generatorOptimizer;
    private readonly Adam discriminatorOptimizer;

    /// <summary>Prepares Adam optimisers for both networks.</summary>
    /// <param name="generator">The generator to train.</param>
    /// <param name="discriminator">The discriminator to train.</param>
    /// <param name="options">Epochs, batch, Adam, w_adv, re-initialisation threshold, seed.</param>
    /// <param name="checkpoints">Where to write a checkpoint after every epoch and whether to resume from it; none when null.
    /// Its <see cref="CheckpointOptions.Settings"/> should name the data; the trainer adds sizes and options itself.</param>
    public BeatGanTrainer(BeatGanGenerator generator, BeatGanDiscriminator discriminator, BeatGanTrainingOptions? options = null,
                          CheckpointOptions? checkpoints = null)
    {
        this.generator = generator ?? throw new ArgumentNullException(nameof(generator));
        this.discriminator = discriminator ?? throw new ArgumentNullException(nameof(discriminator));
        if (generator.Options.Channels != discriminator.Options.Channels || generator.Options.SignalLength != discriminator.Options.SignalLength)
            throw new ArgumentException(
                $"Generator beats [{generator.Options.Channels}, {generator.Options.SignalLength}] and discriminator beats " +
                $"[{discriminator.Options.Channels}, {discriminator.Options.SignalLength}] differ; build both from the same Channels and SignalLength.");
        this.options = (options ?? new BeatGanTrainingOptions()).Validated();
        checkpoints?.Validate();
        this.checkpoints = checkpoints;
        generatorOptimizer = optim.Adam(generator.parameters(), this.options.LearningRate, this.options.Beta1, this.options.Beta2);
        discriminatorOptimizer = optim.Adam(discriminator.parameters(), this.options.LearningRate, this.options.Beta1, this.options.Beta2);
    }

    /// <summary>The options in use.</summary>
    public BeatGanTrainingOptions Options => options;

    /// <summary>One discriminator update then one generator update on a batch of normal beats [B, nc, L].</summary>
    /// <remarks>The generator runs once: its reconstruction, detached, trains D, and then, with D's new weights, G
    /// (<see cref="RepeatedBatchNormUpdates"/> keeps the running statistics those of the authors' two passes).</remarks>
    public BeatGanStepLosses TrainStep(Tensor beats)
    {
        using var scope = NewDisposeScope();
        var x = beats.to(DistillDevice.Of(generator)); // [B, nc, L], where the networks live
        generator.train();
        discriminator.train();
        Tensor reconstruction;
        using (RepeatedBatchNormUpdates.Apply(generator, passes: 2)) reconstruction = generator.call(x);
        var (realError, fakeError) = BeatGanAdversarialLosses.UpdateDiscriminator(discriminatorOptimizer, discriminator, reconstruction, x);
        var (reconstructionError, adversarialError, generatorError) = UpdateGenerator(x, reconstruction);
        var read = LossReadout.Read(realError, fakeError, reconstructionError, adversarialError, generatorError);
        var (real, fake, reconstructionLoss, adversarial, total) = (read[0], read[1], read[2], read[3], read[4]);
        bool reinitialise = real + fake < options.ReinitThreshold;
        if (reinitialise) discriminator.ResetParameters();
        return new BeatGanStepLosses(real, fake, reconstructionLoss, adversarial, total, reinitialise);
    }

    private (Tensor Reconstruction, Tensor Adversarial, Tensor Total) UpdateGenerator(Tensor x, Tensor reconstruction)
    {
        using var scope = NewDisposeScope();
        generatorOptimizer.zero_grad();
        Tensor generatorError = null!; // set by the backward callback
        var (reconstructionError, adversarialError) = BeatGanAdversarialLosses.Generator(discriminator, reconstruction, x, (rec, adv) =>
        {
            generatorError = rec + options.AdversarialWeight * adv;
            generatorError.backward();
        });
        generatorOptimizer.step();
        return (reconstructionError.detach().MoveToOuterDisposeScope(), adversarialError.detach().MoveToOuterDisposeScope(),
                generatorError.detach().MoveToOuterDisposeScope());
    }

    /// <summary>Trains for <see cref="BeatGanTrainingOptions.Epochs"/> epochs, validating after each one.</summary>
    /// <param name="trainBeats">Normal beats [N, nc, L], N ≥ batch size.</param>
    /// <param name="validationBeats">Labelled validation beats [M, nc, L], normal and abnormal.</param>
    /// <param name="validationLabels">1 for abnormal, 0 for normal, one per validation beat; both classes present.</param>
    /// <param name="validationMetric">Rates anomaly scores against labels, higher is better (ROC AUC in the paper).</param>
    /// <param name="progress">Receives a report after every step and after every epoch's validation.</param>
    /// <param name="cancellationToken">Stops training between steps (the last completed epoch's checkpoint is kept).</param>
    /// <param name="epochMetrics">Measures the generator after each epoch's validation (for a learning curve: test metrics
    /// of the current weights, which never influence training); the values are kept in the epoch's
    /// <see cref="BeatGanEpochSummary.Metrics"/> and so in the checkpoint. It must leave the networks' modes and weights as
    /// it found them (evaluation-mode scoring does).</param>
    /// <remarks>The epochs run on the library's one <see cref="Trainer"/>. With a checkpoint to resume from, the epochs it
    /// holds are not trained again nor reported to <paramref name="progress"/>; a checkpoint of all epochs only restores the
    /// networks.</remarks>
    /// <exception cref="CorruptCheckpointException">The checkpoint is unreadable, from other settings or does not fit the networks.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the last completed epoch's checkpoint is kept.</exception>
    public BeatGanTrainingResult Fit(
        Tensor trainBeats,
        Tensor validationBeats,
        IReadOnlyList<int> validationLabels,
        Func<double[], int[], double> validationMetric,
        IProgress<BeatGanProgress>? progress = null,
        CancellationToken cancellationToken = default,
        Func<BeatGanGenerator, IReadOnlyDictionary<string, double>>? epochMetrics = null)
    {
        ArgumentNullException.ThrowIfNull(validationMetric);
        CheckBeats(trainBeats, nameof(trainBeats));
        CheckBeats(validationBeats, nameof(validationBeats));
        if (trainBeats.shape[0] < options.BatchSize)
            throw new ArgumentException(
                $"{trainBeats.shape[0]} training beats make no full batch of {options.BatchSize}; lower BatchSize or add beats.", nameof(trainBeats));
        var labels = validationLabels.ToArray();
        if (labels.Length != validationBeats.shape[0])
            throw new ArgumentException($"{labels.Length} validation labels for {validationBeats.shape[0]} validation beats; give one label per beat.", nameof(validationLabels));
        if (labels.Any(l => l is not (0 or 1)) || !labels.Contains(0) || !labels.Contains(1))
            throw new ArgumentException("Validation labels must be 0 (normal) or 1 (abnormal), with both present, for the validation AUC to exist.", nameof(validationLabels));

        using var run = new TeacherEpochs(this, trainBeats.to(DistillDevice.Of(generator)), validationBeats, labels, validationMetric, epochMetrics);
        int batches = (int)(trainBeats.shape[0] / options.BatchSize);
        var steps = new SyncProgress<StepProgress>(step =>
            progress?.Report(new BeatGanProgress(step.Epoch, step.Epochs, step.Batch, step.Batches, run.LastStep!, null)));
        var epochs = new SyncProgress<BeatGanEpochSummary>(summary =>
            progress?.Report(new BeatGanProgress(summary.Epoch, options.Epochs, batches, batches, run.LastStep!, summary)));
        var result = new Trainer(checkpoints).Fit(run, epochs, steps, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return run.Finish(result.History);
    }

    // The teacher's epochs as the one trainer runs them: the adversarial step, validation after each epoch, the best epoch's
    // networks kept, and the discriminator's re-initialisations logged.
    private sealed class TeacherEpochs(BeatGanTrainer trainer, Tensor train, Tensor validationBeats, int[] labels,
        Func<double[], int[], double> validationMetric, Func<BeatGanGenerator, IReadOnlyDictionary<string, double>>? epochMetrics)
        : IEpochObjective<Tensor, BeatGanEpochSummary>, IDisposable
    {
        private readonly ModelSnapshot bestGenerator = new(trainer.generator);
        private readonly ModelSnapshot bestDiscriminator = new(trainer.discriminator);
        private readonly List<BeatGanReinitialisation> reinitialisations = [];
        private int bestEpoch, epochReinitialisations;
        private double bestScore = double.NegativeInfinity;

        public BeatGanStepLosses? LastStep { get; private set; }

        public int Epochs => trainer.options.Epochs;

        public IBatchOrder Order { get; } = new RunSeededOrder((int)train.shape[0], trainer.options.BatchSize, trainer.options.Seed);

        public string Settings =>
            $"BeatGAN teacher; generator {trainer.generator.Options}; discriminator {trainer.discriminator.Options}; restore best {trainer.options.RestoreBest}; " +
            $"validation {trainer.options.Validation}; one generator pass per step; {trainer.options.Describe()}; {Order.Describe()}";

        public IReadOnlyDictionary<string, nn.Module> Modules => new Dictionary<string, nn.Module>
        {
            ["generator"] = trainer.generator, ["discriminator"] = trainer.discriminator,
        };

        public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => new Dictionary<string, OptimizerHelper>
        {
            ["generator"] = trainer.generatorOptimizer, ["discriminator"] = trainer.discriminatorOptimizer,
        };

        public IReadOnlyDictionary<string, torch.Generator> Generators { get; } = new Dictionary<string, torch.Generator>();

        public IReadOnlyDictionary<string, ModelSnapshot> Best => new Dictionary<string, ModelSnapshot>
        {
            ["generator"] = bestGenerator, ["discriminator"] = bestDiscriminator,
        };

        public bool Stopped => false;

        public IDisposable? Prepare() => null;

        public Tensor Batch(long[] rows) => train.index_select(0, tensor(rows, device: train.device)); // [B, nc, L]

        public StepValues Step(Tensor batch, int epoch, int index)
        {
            var step = trainer.TrainStep(batch);
            LastStep = step;
            if (step.DiscriminatorReinitialised)
            {
                epochReinitialisations++;
                reinitialisations.Add(new BeatGanReinitialisation(epoch, index, step.Discriminator));
            }
            return step.Values();
        }

        public EpochEnd<BeatGanEpochSummary> EndEpoch(int epoch, double total, IReadOnlyDictionary<string, double> terms, EpochTime elapsed)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            double score = validationMetric(trainer.ValidationScores(validationBeats, epoch), labels);
            if (!double.IsFinite(score))
                throw new InvalidOperationException($"The validation metric returned {score} after epoch {epoch}; check the metric and the validation labels.");
            bool isBest = score > bestScore;
            if (isBest)
            {
                bestScore = score;
                bestEpoch = epoch;
                bestGenerator.Capture();
                bestDiscriminator.Capture();
            }
            var metrics = epochMetrics?.Invoke(trainer.generator);
            var summary = new BeatGanEpochSummary(epoch, terms[BeatGanStepLosses.DiscriminatorTerm], terms[BeatGanStepLosses.ReconstructionTerm],
                terms[BeatGanStepLosses.AdversarialTerm], score, epochReinitialisations, isBest, elapsed.Epoch + clock.Elapsed, metrics);
            epochReinitialisations = 0;
            return new EpochEnd<BeatGanEpochSummary>(summary, Stop: false);
        }

        public System.Text.Json.JsonElement SaveState()
            => System.Text.Json.JsonSerializer.SerializeToElement(new Counters(bestEpoch, bestScore, reinitialisations.ToArray()), CheckpointZip.Json);

        public void RestoreState(System.Text.Json.JsonElement state, IReadOnlyList<BeatGanEpochSummary> history)
        {
            var counters = System.Text.Json.JsonSerializer.Deserialize<Counters>(state, CheckpointZip.Json) ?? throw new ArgumentException("no trainer counters");
            if (counters.BestEpoch < 0 || counters.BestEpoch > history.Count || (history.Count > 0 && counters.BestEpoch == 0))
                throw new ArgumentException($"best epoch {counters.BestEpoch} of {history.Count}");
            (bestEpoch, bestScore) = (counters.BestEpoch, counters.BestScore);
            reinitialisations.Clear();
            reinitialisations.AddRange(counters.Reinitialisations ?? []);
        }

        public BeatGanTrainingResult Finish(IReadOnlyList<BeatGanEpochSummary> history)
        {
            if (bestGenerator.Captured is not { } g || bestDiscriminator.Captured is not { } d)
                throw new InvalidOperationException("No epoch was validated, so there are no best weights; train at least one epoch.");
            var best = BeatGanCheckpoint.Copy(g, d);
            if (trainer.options.RestoreBest) best.Restore(trainer.generator, trainer.discriminator);
            return new BeatGanTrainingResult(history, reinitialisations.ToArray(), bestEpoch, bestScore, best);
        }

        public void Dispose()
        {
            bestGenerator.Dispose();
            bestDiscriminator.Dispose();
        }

        private sealed record Counters(int BestEpoch, double BestScore, BeatGanReinitialisation[] Reinitialisations);
    }

    // The authors score validation beats right after training, in training mode, on shuffled batches (BeatGanValidation).
    private double[] ValidationScores(Tensor validationBeats, int epoch) => options.Validation switch
    {
        BeatGanValidation.TrainingModeBatches =>
            ReconstructionScores.ComputeInTrainingBatches(generator, validationBeats, options.BatchSize, EpochSeed.For(options.Seed, epoch)),
        BeatGanValidation.EvaluationMode => ReconstructionScores.Compute(generator, validationBeats, options.BatchSize),
        _ => throw new ArgumentOutOfRangeException(nameof(options), options.Validation, "Unknown validation mode."),
    };

    private void CheckBeats(Tensor beats, string name)
    {
        var o = generator.Options;
        if (beats.dim() != 3 || beats.shape[1] != o.Channels || beats.shape[2] != o.SignalLength)
            throw new ArgumentException(
                $"{name} must be shaped [N, {o.Channels}, {o.SignalLength}] but is [{string.Join(", ", beats.shape)}].", name);
        if (beats.isnan().any().item<bool>())
            throw new ArgumentException($"{name} contains NaN; clean or drop those beats before training.", name);
    }
}
