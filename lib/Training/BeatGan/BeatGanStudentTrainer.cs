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
/// Adams, torch's generator and the history are written after every epoch (<see cref="BeatGanTrainingCheckpoint"/>), and a
/// run with the same settings resumes from them bit-identically on the CPU.
/// </remarks>
public sealed class BeatGanStudentTrainer
{
    private readonly BeatGanGenerator student;
    private readonly BeatGanDiscriminator discriminator;
    private readonly BeatGanGenerator teacher;
    private readonly IReadOnlyList<DistillationTerm> terms;
    private readonly BeatGanTrainingOptions options;
    private readonly bool acceptGradientFree;
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
        this.terms = terms.ToArray();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var term in this.terms)
        {
            if (term?.Loss is null) throw new ArgumentException("A distillation term has no loss.", nameof(terms));
            if (!double.IsFinite(term.Weight) || term.Weight < 0)
                throw new ArgumentOutOfRangeException(nameof(terms), term.Weight, $"The weight of '{term.Loss.Name}' must be finite and non-negative.");
            if (!names.Add(term.Loss.Name)) throw new ArgumentException($"Two terms are named '{term.Loss.Name}'; give each term a distinct name.", nameof(terms));
        }
        var studentOptions = options ?? new BeatGanStudentOptions();
        this.options = studentOptions.ValidatedTraining();
        acceptGradientFree = studentOptions.AcceptGradientFreeTerms;
        cacheTeacher = studentOptions.CacheTeacherPasses;
        checkpoints?.Validate();
        this.checkpoints = checkpoints;
        foreach (var p in teacher.parameters()) p.requires_grad = false;
        teacher.eval();

        var generatorParameters = new List<Parameter>(student.parameters());
        var seen = new HashSet<Parameter>(generatorParameters, ReferenceEqualityComparer.Instance);
        foreach (var module in this.terms.Select(t => t.Loss))
            foreach (var p in module.parameters())
                if (p.requires_grad && seen.Add(p)) generatorParameters.Add(p);
        generatorOptimizer = optim.Adam(generatorParameters, this.options.LearningRate, this.options.Beta1, this.options.Beta2);
        discriminatorOptimizer = optim.Adam(discriminator.parameters(), this.options.LearningRate, this.options.Beta1, this.options.Beta2);
    }

    /// <summary>The training options in use.</summary>
    public BeatGanTrainingOptions Options => options;

    /// <summary>One discriminator update, then one student generator update with the distillation terms, on normal beats [B, nc, L].</summary>
    /// <param name="beats">Normal beats [B, nc, L].</param>
    /// <param name="rows">Each beat's row in the training set, int64 [B]; needed by terms with a memory bank (CRD), which
    /// say so when it is missing. <see cref="Fit"/> passes them.</param>
    public BeatGanStudentStep TrainStep(Tensor beats, Tensor? rows = null) => Step(beats, rows, null);

    // One step; with a cache (built by Fit on the training set, rows given) the teacher's pass is read from it, not recomputed.
    private BeatGanStudentStep Step(Tensor beats, Tensor? rows, TeacherPassCache? cache)
    {
        using var scope = NewDisposeScope();
        var x = beats.to(DistillDevice.Of(student)); // [B, nc, L], where the networks live
        student.train();
        discriminator.train();
        foreach (var term in terms) term.Loss.train();
        FeatureOutput studentPass;
        using (RepeatedBatchNormUpdates.Apply(student, passes: 2)) studentPass = student.ForwardFeatures(x);
        var (realError, fakeError) = BeatGanAdversarialLosses.UpdateDiscriminator(discriminatorOptimizer, discriminator, studentPass.Output, x);
        // The terms leave NaN/Inf detection to the step's one read of every value below, whose check names the term.
        (Tensor, Tensor, Tensor, Tensor[]) errors;
        using (InputFinitenessChecks.DeferToLossValues()) errors = UpdateGenerator(x, studentPass, rows, cache);
        var (reconstructionError, adversarialError, totalError, termErrors) = errors;
        // One transfer for the step's every loss; a NaN anywhere shows in these values and ThrowIfNotFinite names it.
        var read = LossReadout.Read([realError, fakeError, reconstructionError, adversarialError, totalError, .. termErrors]);
        var (real, fake, reconstruction, adversarial, total) = (read[0], read[1], read[2], read[3], read[4]);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < terms.Count; i++) values[terms[i].Loss.Name] = read[5 + i];
        bool reinitialise = real + fake < options.ReinitThreshold;
        if (reinitialise) discriminator.ResetParameters();
        return new BeatGanStudentStep(new BeatGanStepLosses(real, fake, reconstruction, adversarial, total, reinitialise), values);
    }


    private (Tensor Reconstruction, Tensor Adversarial, Tensor Total, Tensor[] Terms) UpdateGenerator(Tensor x,
        FeatureOutput studentPass, Tensor? rows, TeacherPassCache? cache)
    {
        using var scope = NewDisposeScope();
        generatorOptimizer.zero_grad();
        DistillationContext context;
        if (cache is not null && rows is not null) context = cache.Context(studentPass, x, rows);
        else
        {
            teacher.eval();
            FeatureOutput teacherPass;
            using (no_grad()) teacherPass = teacher.ForwardFeatures(x);
            context = new DistillationContext(studentPass, teacherPass, x, rows);
        }
        var values = new Tensor[terms.Count];
        Tensor total = null!; // set by the backward callback
        var (reconstructionError, adversarialError) = BeatGanAdversarialLosses.Generator(discriminator, studentPass.Output, x, (rec, adv) =>
        {
            total = rec + options.AdversarialWeight * adv;
            for (int i = 0; i < terms.Count; i++)
            {
                var term = terms[i];
                var value = term.Loss.Compute(context);
                if (value.numel() != 1)
                    throw new InvalidOperationException($"Term '{term.Loss.Name}' returned shape [{string.Join(", ", value.shape)}]; a loss must be a scalar.");
                if (!value.requires_grad && !acceptGradientFree)
                    throw new InvalidOperationException(
                        $"Term '{term.Loss.Name}' carries no gradient, so it cannot train the student (the lab notes' NumPy-score KL). " +
                        "Compute it from the student's tensors, or set AcceptGradientFreeTerms only to demonstrate that it changes nothing.");
                values[i] = value.detach().MoveToOuterDisposeScope();
                total = total + term.Weight * value.reshape(Array.Empty<long>());
            }
            total.backward();
        });
        generatorOptimizer.step();
        return (reconstructionError.detach().MoveToOuterDisposeScope(), adversarialError.detach().MoveToOuterDisposeScope(),
                total.detach().MoveToOuterDisposeScope(), values);
    }

    /// <summary>Trains for <see cref="BeatGanTrainingOptions.Epochs"/> epochs on normal beats [N, nc, L] and returns each epoch's means.</summary>
    /// <param name="trainBeats">Normal beats [N, nc, L], N ≥ batch size; an incomplete last batch is dropped.</param>
    /// <param name="progress">Receives each epoch's summary as it completes.</param>
    /// <param name="cancellationToken">Stops training between steps (the last completed epoch's checkpoint is kept).</param>
    /// <param name="steps">Receives every step's losses with its epoch and batch counts (for progress lines with a rate and
    /// an ETA during an epoch); <see cref="BeatGanProgress.CompletedEpoch"/> is null, as a student has no validation.</param>
    /// <remarks>With a checkpoint to resume from, the epochs it holds are not trained again nor reported to <paramref name="progress"/>;
    /// a checkpoint of all epochs only restores the networks and the terms.</remarks>
    /// <exception cref="CorruptCheckpointException">The checkpoint is unreadable, from other settings or does not fit the networks or terms.</exception>
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
        var train = trainBeats.to(DistillDevice.Of(student));
        var random = new Random(options.Seed);
        int count = (int)train.shape[0], batches = count / options.BatchSize;
        var history = new List<BeatGanStudentEpoch>(options.Epochs);
        int savedEpoch = 0;
        string settings = Settings(count);
        if (checkpoints is { Resume: true } && File.Exists(checkpoints.Path))
        {
            var (state, _) = BeatGanTrainingCheckpoint.Load<BeatGanStudentEpoch>(checkpoints.Path, settings, options.Epochs, Modules, Optimizers, null);
            history.AddRange(state.History);
            savedEpoch = state.Epoch;
            BeatGanBatchOrder.Replay(count, random, savedEpoch);
        }
        using var cache = CacheTeacher(train);
        for (int epoch = savedEpoch + 1; epoch <= options.Epochs; epoch++)
        {
            var order = BeatGanBatchOrder.Shuffled(count, random);
            double sumD = 0, sumRec = 0;
            int reinits = 0;
            var sums = new Dictionary<string, double>(StringComparer.Ordinal);
            for (int b = 0; b < batches; b++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                BeatGanStudentStep step;
                using (var scope = NewDisposeScope())
                {
                    var index = tensor(order.AsSpan(b * options.BatchSize, options.BatchSize).ToArray(), device: train.device); // [B]
                    step = Step(train.index_select(0, index), index, cache);
                }
                step.Losses.ThrowIfNotFinite(epoch, b + 1, step.Terms, BeatGanTrainingCheckpoint.Kept(checkpoints, savedEpoch));
                sumD += step.Losses.Discriminator;
                sumRec += step.Losses.Reconstruction;
                if (step.Losses.DiscriminatorReinitialised) reinits++;
                foreach (var (name, value) in step.Terms) sums[name] = sums.GetValueOrDefault(name) + value;
                steps?.Report(new BeatGanProgress(epoch, options.Epochs, b + 1, batches, step.Losses, null));
            }
            var summary = new BeatGanStudentEpoch(epoch, sumD / batches, sumRec / batches,
                sums.ToDictionary(kv => kv.Key, kv => kv.Value / batches), reinits);
            history.Add(summary);
            if (checkpoints is not null && checkpoints.IsDue(epoch, epoch == options.Epochs))
            {
                BeatGanTrainingCheckpoint.Save(checkpoints.Path, new BeatGanTrainerState<BeatGanStudentEpoch>(
                    BeatGanTrainingCheckpoint.FormatVersion, settings, epoch, 0, double.NegativeInfinity, history.ToArray(), []), Modules, Optimizers, null);
                savedEpoch = epoch;
            }
            progress?.Report(summary);
        }
        return history;
    }

    // The teacher's pass on the training set, holding what the terms declare (recomputed identically on resume: the teacher
    // is frozen and in eval mode); null when caching is off or a term does not declare what it reads.
    private TeacherPassCache? CacheTeacher(Tensor train)
    {
        if (!cacheTeacher || terms.Any(t => t.Loss is not ITeacherPassReader)) return null;
        var parts = terms.Select(t => ((ITeacherPassReader)t.Loss).TeacherParts).Aggregate(TeacherPassParts.None, (a, b) => a.Union(b));
        teacher.eval();
        var shapes = parts.Summaries.Count > 0 ? FeatureShapes.Of(student, train.narrow(0, 0, 1)) : null;
        return TeacherPassCache.Build(teacher, train, parts, shapes, chunk: options.BatchSize);
    }

    // Every term is saved whole (parameters and buffers: CRD's memory banks, a regressor's statistics); a stateless one saves an empty state.
    private Dictionary<string, nn.Module> Modules
    {
        get
        {
            var modules = new Dictionary<string, nn.Module>(StringComparer.Ordinal) { ["generator"] = student, ["discriminator"] = discriminator };
            foreach (var term in terms)
                modules[$"terms/{term.Loss.Name}"] = term.Loss;
            return modules;
        }
    }

    private Dictionary<string, OptimizerHelper> Optimizers => new() { ["generator"] = generatorOptimizer, ["discriminator"] = discriminatorOptimizer };

    private string Settings(int trainBeats)
    {
        double checksum;
        using (NewDisposeScope())
        using (no_grad()) checksum = teacher.parameters().Sum(p => p.to(float64).abs().sum().item<double>());
        string termList = string.Join(", ", terms.Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{t.Loss.Name}={t.Weight:R}")));
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"BeatGAN student; generator {student.Options}; discriminator {discriminator.Options}; teacher {teacher.Options} with |weights| {checksum:R}; " +
            $"terms [{termList}]; gradient-free terms accepted {acceptGradientFree}; one generator pass per step; " +
            $"{BeatGanBatchOrder.Describe(options, trainBeats)}; {checkpoints?.Settings}");
    }

}
