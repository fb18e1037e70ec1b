using TorchSharp;
using TorchSharp.Modules;
using Distill.Distillation;
using Distill.Losses;
using Distill.Models.BeatGan;
using Distill.Models;
using Distill.Runtime;
using Distill.Training.Checkpoints;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Distill.Training.BeatGan;

/// <summary>Trains a (smaller) BeatGAN student adversarially, with weighted distillation terms from a frozen teacher generator.</summary>
/// <remarks>
/// Zhou et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019, Section 3,
/// for the student's own objective (the same D and G steps as <see cref="BeatGanTrainer"/>), plus the distillation
/// objective of Hinton et al. (2015) as generalised in RepDistiller (Tian et al., ICLR 2020):
/// <c>L_G = ||x − G_S(x)||² + w_adv ||f_D(x) − f_D(G_S(x))||² + Σ_k w_k L_k</c>.
/// Each term sees a <see cref="DistillationContext"/> whose Student and Teacher are the two generator passes
/// (reconstruction as Output, the eleven features) and whose Targets are the input beats x. In <see cref="Fit"/>, when every
/// term declares what it reads (<see cref="ITeacherPassReader"/>), the teacher's pass on the training set is computed once
/// (<see cref="TeacherPassCache"/>, memory per 10,000 beats there) and read by row index, with the same values bit for bit.
/// The teacher generator is frozen (requires_grad = false) and runs in eval mode without gradient. Parameters of terms
/// that are modules (a latent regressor) are optimised with the student generator.
/// With <see cref="CheckpointOptions"/>, both networks, the terms' module state (CRD's memory banks, a regressor), both
/// Adams, torch's generator and the history are written after every epoch (<see cref="Checkpoint"/>), and a
/// run with the same settings resumes from them bit-identically on the CPU.
/// </remarks>
public sealed class BeatGanStudentTrainer
{
    private readonly BeatGanGenerator student;
    private readonly BeatGanDiscriminator discriminator;
    private readonly BeatGanGenerator teacher;
    private readonly Distiller distiller;
    private readonly BeatGanTrainingOptions options;
    private readonly bool cacheTeacher;
    private readonly CheckpointOptions? checkpoints;
    private readonly Adam generatorOptimizer;
    private readonly Adam discriminatorOptimizer;

    /// <summary>Prepares Adam for the student generator (with the terms' parameters) and the student discriminator; freezes the teacher.</summary>
    /// <param name="student">The student generator to train.</param>
    /// <param name="discriminator">The student's discriminator.</param>
    /// <param name="teacher">The trained teacher generator (frozen here).</param>
    /// <param name="terms">The weighted distillation terms, with distinct names.</param>
    /// <param name="options">Training options and the gradient-free switch.</param>
    /// <param name="checkpoints">Where to write a checkpoint after every epoch and whether to resume from it; none when null.
    /// Its <see cref="CheckpointOptions.Settings"/> should name the data and the teacher's run; the trainer adds sizes, options,
    /// terms and a checksum of the teacher's weights itself.</param>
    public BeatGanStudentTrainer(BeatGanGenerator student, BeatGanDiscriminator discriminator, BeatGanGenerator teacher,
        IEnumerable<DistillationTerm> terms, BeatGanStudentOptions? options = null, CheckpointOptions? checkpoints = null)
    {
        this.student = student ?? throw new ArgumentNullException(nameof(student));
        this.discriminator = discriminator ?? throw new ArgumentNullException(nameof(discriminator));
        this.teacher = teacher ?? throw new ArgumentNullException(nameof(teacher));
        ArgumentNullException.ThrowIfNull(terms);
        if (ReferenceEquals(student, teacher))
            throw new ArgumentException("The student and the teacher generator are the same object; distil from a separately trained teacher.");
        if (student.Options.Channels != teacher.Options.Channels || student.Options.SignalLength != teacher.Options.SignalLength
            || discriminator.Options.Channels != student.Options.Channels || discriminator.Options.SignalLength != student.Options.SignalLength)
            throw new ArgumentException("Student, student discriminator and teacher must read the same beats (Channels and SignalLength).");
        var studentOptions = options ?? new BeatGanStudentOptions();
        this.options = studentOptions.ValidatedTraining();
        cacheTeacher = studentOptions.CacheTeacherPasses;
        checkpoints?.Validate();
        this.checkpoints = checkpoints;
        // The Distiller freezes the teacher, checks the terms and computes them; the task loss it is given here is the
        // reconstruction error alone, what the student would minimise without a discriminator (Step passes the full one).
        distiller = Distiller.Create(student, teacher, (reconstruction, x) => F.mse_loss(reconstruction, x), terms);
        distiller.AcceptGradientFreeTerms = studentOptions.AcceptGradientFreeTerms;
        foreach (var term in distiller.Terms)
            if (StepValueNames.Contains(term.Loss.Name))
                throw new ArgumentException($"A distillation term is named '{term.Loss.Name}', a name of BeatGAN's own step values " +
                                            $"[{string.Join(", ", StepValueNames)}]; rename the term.", nameof(terms));
        var generatorParameters = distiller.TrainableParameters().ToList();
        generatorOptimizer = optim.Adam(generatorParameters, this.options.LearningRate, this.options.Beta1, this.options.Beta2);
        discriminatorOptimizer = optim.Adam(discriminator.parameters(), this.options.LearningRate, this.options.Beta1, this.options.Beta2);
    }

    private static readonly string[] StepValueNames = BeatGanStepLosses.Names;

    /// <summary>The training options in use.</summary>
    public BeatGanTrainingOptions Options => options;

    /// <summary>One discriminator update, then one student generator update with the distillation terms, on normal beats [B, nc, L].</summary>
    /// <param name="beats">Normal beats [B, nc, L].</param>
    /// <param name="rows">Each beat's row in the training set, int64 [B]; needed by terms with a memory bank (CRD), which
    /// say so when it is missing. <see cref="Fit"/> passes them.</param>
    public BeatGanStudentStep TrainStep(Tensor beats, Tensor? rows = null) => Step(beats, rows);

    // One step; while Fit holds the distiller's teacher-pass cache (rows given), the teacher's pass is read from it.
    private BeatGanStudentStep Step(Tensor beats, Tensor? rows)
    {
        using var scope = NewDisposeScope();
        var x = beats.to(DistillDevice.Of(student)); // [B, nc, L], where the networks live
        distiller.Train(true);
        discriminator.train();
        FeatureOutput studentPass;
        using (RepeatedBatchNormUpdates.Apply(student, passes: 2)) studentPass = student.ForwardFeatures(x);
        var (realError, fakeError) = BeatGanAdversarialLosses.UpdateDiscriminator(discriminatorOptimizer, discriminator, studentPass.Output, x);
        // The terms leave NaN/Inf detection to the step's one read of every value below, whose check names the term.
        (Tensor, Tensor, DistillationStep) errors;
        using (InputFinitenessChecks.DeferToLossValues()) errors = UpdateGenerator(x, studentPass, rows);
        var (reconstructionError, adversarialError, generator) = errors;
        var termNames = distiller.Terms.Select(t => t.Loss.Name).ToArray();
        // One transfer for the step's every loss; a NaN anywhere shows in these values and the trainer names it.
        var read = LossReadout.Read([realError, fakeError, reconstructionError, adversarialError, generator.Total, .. termNames.Select(n => generator.Terms[n])]);
        var (real, fake, reconstruction, adversarial, total) = (read[0], read[1], read[2], read[3], read[4]);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < termNames.Length; i++) values[termNames[i]] = read[5 + i];
        bool reinitialise = real + fake < options.ReinitThreshold;
        if (reinitialise) discriminator.ResetParameters();
        return new BeatGanStudentStep(new BeatGanStepLosses(real, fake, reconstruction, adversarial, total, reinitialise), values);
    }

    // G_S's update: BeatGAN's reconstruction and feature-matching losses (D frozen) as the task, plus the distiller's terms.
    private (Tensor Reconstruction, Tensor Adversarial, DistillationStep Generator) UpdateGenerator(Tensor x, FeatureOutput studentPass, Tensor? rows)
    {
        using var scope = NewDisposeScope();
        generatorOptimizer.zero_grad();
        DistillationStep step = null!; // set by the backward callback
        var (reconstructionError, adversarialError) = BeatGanAdversarialLosses.Generator(discriminator, studentPass.Output, x, (rec, adv) =>
        {
            step = distiller.Step(studentPass, x, x, rows, rec + options.AdversarialWeight * adv);
            step.Total.backward();
        });
        generatorOptimizer.step();
        return (reconstructionError.detach().MoveToOuterDisposeScope(), adversarialError.detach().MoveToOuterDisposeScope(),
                new DistillationStep(step.Total.detach().MoveToOuterDisposeScope(),
                                     step.Terms.ToDictionary(kv => kv.Key, kv => kv.Value.detach().MoveToOuterDisposeScope())));
    }

    /// <summary>Trains for <see cref="BeatGanTrainingOptions.Epochs"/> epochs on normal beats [N, nc, L] and returns each epoch's means.</summary>
    /// <param name="trainBeats">Normal beats [N, nc, L], N ≥ batch size; an incomplete last batch is dropped.</param>
    /// <param name="progress">Receives each epoch's summary as it completes.</param>
    /// <param name="cancellationToken">Stops training between steps (the last completed epoch's checkpoint is kept).</param>
    /// <param name="steps">Receives every step's losses with its epoch and batch counts (for progress lines with a rate and
    /// an ETA during an epoch); <see cref="BeatGanProgress.CompletedEpoch"/> is null, as a student has no validation.</param>
    /// <remarks>The epochs run on the library's one <see cref="Trainer"/>. With a checkpoint to resume from, the epochs it
    /// holds are not trained again nor reported to <paramref name="progress"/>; a checkpoint of all epochs only restores the
    /// networks and the terms.</remarks>
    /// <exception cref="CorruptCheckpointException">The checkpoint is unreadable, from other settings or does not fit the networks or terms.</exception>
    /// <exception cref="OperationCanceledException">Cancelled; the last completed epoch's checkpoint is kept.</exception>
    public IReadOnlyList<BeatGanStudentEpoch> Fit(Tensor trainBeats, IProgress<BeatGanStudentEpoch>? progress = null, CancellationToken cancellationToken = default,
                                                  IProgress<BeatGanProgress>? steps = null)
    {
        var o = student.Options;
        if (trainBeats.dim() != 3 || trainBeats.shape[1] != o.Channels || trainBeats.shape[2] != o.SignalLength)
            throw new ArgumentException($"Training beats must be [N, {o.Channels}, {o.SignalLength}], got [{string.Join(", ", trainBeats.shape)}].", nameof(trainBeats));
        if (trainBeats.shape[0] < options.BatchSize)
            throw new ArgumentException($"{trainBeats.shape[0]} beats make no full batch of {options.BatchSize}; lower BatchSize or add beats.", nameof(trainBeats));
        if (trainBeats.isnan().any().item<bool>())
            throw new ArgumentException("The training beats contain NaN; clean or drop those beats.", nameof(trainBeats));
        var run = new StudentEpochs(this, trainBeats.to(DistillDevice.Of(student)));
        var stepReports = new SyncProgress<StepProgress>(step =>
            steps?.Report(new BeatGanProgress(step.Epoch, step.Epochs, step.Batch, step.Batches, run.LastStep!, null)));
        var result = new Trainer(checkpoints).Fit(run, progress, stepReports, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        return result.History;
    }

    // The beats of one step and their rows in the training set.
    private sealed record StudentBatch(Tensor Beats, Tensor Rows);

    // The student's epochs as the one trainer runs them: the adversarial step with the distillation terms, no validation.
    private sealed class StudentEpochs(BeatGanStudentTrainer trainer, Tensor train) : IEpochObjective<StudentBatch, BeatGanStudentEpoch>
    {
        private int epochReinitialisations;

        public BeatGanStepLosses? LastStep { get; private set; }

        public int Epochs => trainer.options.Epochs;

        public IBatchOrder Order { get; } = new RunSeededOrder((int)train.shape[0], trainer.options.BatchSize, trainer.options.Seed);

        public string Settings => trainer.Settings(Order);

        public IReadOnlyDictionary<string, nn.Module> Modules => trainer.Modules;

        public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => new Dictionary<string, OptimizerHelper>
        {
            ["generator"] = trainer.generatorOptimizer, ["discriminator"] = trainer.discriminatorOptimizer,
        };

        public IReadOnlyDictionary<string, torch.Generator> Generators { get; } = new Dictionary<string, torch.Generator>();

        public IReadOnlyDictionary<string, ModelSnapshot> Best { get; } = new Dictionary<string, ModelSnapshot>();

        public bool Stopped => false;

        public IDisposable? Prepare() => trainer.CacheTeacher(train);

        public StudentBatch Batch(long[] rows)
        {
            var index = tensor(rows, device: train.device); // [B]
            return new StudentBatch(train.index_select(0, index), index);
        }

        public StepValues Step(StudentBatch batch, int epoch, int index)
        {
            var step = trainer.Step(batch.Beats, batch.Rows);
            LastStep = step.Losses;
            if (step.Losses.DiscriminatorReinitialised) epochReinitialisations++;
            return step.Losses.Values(step.Terms);
        }

        public EpochEnd<BeatGanStudentEpoch> EndEpoch(int epoch, double total, IReadOnlyDictionary<string, double> terms, EpochTime elapsed)
        {
            var summary = new BeatGanStudentEpoch(epoch, terms[BeatGanStepLosses.DiscriminatorTerm], terms[BeatGanStepLosses.ReconstructionTerm],
                trainer.distiller.Terms.ToDictionary(t => t.Loss.Name, t => terms[t.Loss.Name], StringComparer.Ordinal), epochReinitialisations);
            epochReinitialisations = 0;
            return new EpochEnd<BeatGanStudentEpoch>(summary, Stop: false);
        }

        public System.Text.Json.JsonElement SaveState() => System.Text.Json.JsonSerializer.SerializeToElement(new { });

        public void RestoreState(System.Text.Json.JsonElement state, IReadOnlyList<BeatGanStudentEpoch> history) { }
    }

    // The teacher's pass on the training set, holding what the terms declare (recomputed identically on resume: the teacher
    // is frozen and in eval mode); null when caching is off or a term does not declare what it reads. Rows are numbered 0..N-1.
    private IDisposable? CacheTeacher(Tensor train)
    {
        if (!cacheTeacher) return null;
        using var rows = arange(train.shape[0], ScalarType.Int64, train.device);
        return distiller.CacheTeacher(train, train, rows, options.BatchSize);
    }

    // Every term is saved whole (parameters and buffers: CRD's memory banks, a regressor's statistics); a stateless one saves an empty state.
    private Dictionary<string, nn.Module> Modules
    {
        get
        {
            var modules = new Dictionary<string, nn.Module>(StringComparer.Ordinal) { ["generator"] = student, ["discriminator"] = discriminator };
            foreach (var term in distiller.Terms)
                modules[$"terms/{term.Loss.Name}"] = term.Loss;
            return modules;
        }
    }

    private string Settings(IBatchOrder order)
    {
        double checksum;
        using (NewDisposeScope())
        using (no_grad()) checksum = teacher.parameters().Sum(p => p.to(float64).abs().sum().item<double>());
        string termList = string.Join(", ", distiller.Terms.Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Loss.Name}={t.Weight:R}")));
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"BeatGAN student; generator {student.Options}; discriminator {discriminator.Options}; teacher {teacher.Options} with |weights| {checksum:R}; " +
            $"terms [{termList}]; gradient-free terms accepted {distiller.AcceptGradientFreeTerms}; one generator pass per step; " +
            $"{options.Describe()}; {order.Describe()}");
    }

}
