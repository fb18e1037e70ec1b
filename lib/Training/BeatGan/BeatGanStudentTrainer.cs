using TorchSharp;
using TorchSharp.Modules;
using Distill.Distillation;
using Distill.Models;
using Distill.Models.BeatGan;
using Distill.Runtime;
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
/// (reconstruction as Output, the eleven features) and whose Targets are the input beats x.
/// The teacher generator is frozen (requires_grad = false) and runs in eval mode without gradient. Parameters of terms
/// that are modules (a latent regressor) are optimised with the student generator.
/// </remarks>
public sealed class BeatGanStudentTrainer
{
    private readonly BeatGanGenerator student;
    private readonly BeatGanDiscriminator discriminator;
    private readonly BeatGanGenerator teacher;
    private readonly IReadOnlyList<DistillationTerm> terms;
    private readonly BeatGanTrainingOptions options;
    private readonly bool acceptGradientFree;
    private readonly optim.Optimizer generatorOptimizer;
    private readonly optim.Optimizer discriminatorOptimizer;

    /// <summary>Prepares Adam for the student generator (with the terms' parameters) and the student discriminator; freezes the teacher.</summary>
    public BeatGanStudentTrainer(BeatGanGenerator student, BeatGanDiscriminator discriminator, BeatGanGenerator teacher,
        IEnumerable<DistillationTerm> terms, BeatGanStudentOptions? options = null)
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
        foreach (var p in teacher.parameters()) p.requires_grad = false;
        teacher.eval();

        var generatorParameters = new List<Parameter>(student.parameters());
        var seen = new HashSet<Parameter>(generatorParameters, ReferenceEqualityComparer.Instance);
        foreach (var module in this.terms.Select(t => t.Loss).OfType<nn.Module>())
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
    public BeatGanStudentStep TrainStep(Tensor beats, Tensor? rows = null)
    {
        using var scope = NewDisposeScope();
        var x = beats.to(DistillDevice.Current); // [B, nc, L]
        student.train();
        discriminator.train();
        foreach (var module in terms.Select(t => t.Loss).OfType<nn.Module>()) module.train();
        var (real, fake) = UpdateDiscriminator(x);
        var (reconstruction, adversarial, total, values) = UpdateGenerator(x, rows);
        bool reinitialise = real + fake < options.ReinitThreshold;
        if (reinitialise) discriminator.ResetParameters();
        return new BeatGanStudentStep(new BeatGanStepLosses(real, fake, reconstruction, adversarial, total, reinitialise), values);
    }

    private (double Real, double Fake) UpdateDiscriminator(Tensor x)
    {
        using var scope = NewDisposeScope();
        discriminatorOptimizer.zero_grad();
        var (errorReal, errorFake) = BeatGanAdversarialLosses.Discriminator(discriminator, student, x);
        (errorReal + errorFake).backward();
        discriminatorOptimizer.step();
        return (errorReal.item<float>(), errorFake.item<float>());
    }

    private (double Reconstruction, double Adversarial, double Total, Dictionary<string, double> Terms) UpdateGenerator(Tensor x, Tensor? rows)
    {
        using var scope = NewDisposeScope();
        generatorOptimizer.zero_grad();
        FeatureOutput teacherPass;
        teacher.eval();
        using (no_grad()) teacherPass = teacher.ForwardFeatures(x);
        var studentPass = student.ForwardFeatures(x);
        var context = new DistillationContext(studentPass, teacherPass, x, rows);
        var values = new Dictionary<string, double>(StringComparer.Ordinal);
        Tensor total = null!; // set by the backward callback
        var (reconstructionError, adversarialError) = BeatGanAdversarialLosses.Generator(discriminator, studentPass.Output, x, (rec, adv) =>
        {
            total = rec + options.AdversarialWeight * adv;
            foreach (var term in terms)
            {
                var value = term.Loss.Compute(context);
                if (value.numel() != 1)
                    throw new InvalidOperationException($"Term '{term.Loss.Name}' returned shape [{string.Join(", ", value.shape)}]; a loss must be a scalar.");
                if (!value.requires_grad && !acceptGradientFree)
                    throw new InvalidOperationException(
                        $"Term '{term.Loss.Name}' carries no gradient, so it cannot train the student (the lab notes' NumPy-score KL). " +
                        "Compute it from the student's tensors, or set AcceptGradientFreeTerms only to demonstrate that it changes nothing.");
                values[term.Loss.Name] = value.item<float>();
                total = total + term.Weight * value.reshape(Array.Empty<long>());
            }
            total.backward();
        });
        generatorOptimizer.step();
        return (reconstructionError.item<float>(), adversarialError.item<float>(), total.item<float>(), values);
    }

    /// <summary>Trains for <see cref="BeatGanTrainingOptions.Epochs"/> epochs on normal beats [N, nc, L] and returns each epoch's means.</summary>
    /// <param name="trainBeats">Normal beats [N, nc, L], N ≥ batch size; an incomplete last batch is dropped.</param>
    /// <param name="progress">Receives each epoch's summary as it completes.</param>
    /// <param name="cancellationToken">Stops training between steps.</param>
    public IReadOnlyList<BeatGanStudentEpoch> Fit(Tensor trainBeats, IProgress<BeatGanStudentEpoch>? progress = null, CancellationToken cancellationToken = default)
    {
        var o = student.Options;
        if (trainBeats.dim() != 3 || trainBeats.shape[1] != o.Channels || trainBeats.shape[2] != o.SignalLength)
            throw new ArgumentException($"Training beats must be [N, {o.Channels}, {o.SignalLength}], got [{string.Join(", ", trainBeats.shape)}].", nameof(trainBeats));
        if (trainBeats.shape[0] < options.BatchSize)
            throw new ArgumentException($"{trainBeats.shape[0]} beats make no full batch of {options.BatchSize}; lower BatchSize or add beats.", nameof(trainBeats));
        if (trainBeats.isnan().any().item<bool>())
            throw new ArgumentException("The training beats contain NaN; clean or drop those beats.", nameof(trainBeats));
        var train = trainBeats.to(DistillDevice.Current);
        var random = new Random(options.Seed);
        int count = (int)train.shape[0], batches = count / options.BatchSize;
        var history = new List<BeatGanStudentEpoch>(options.Epochs);
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var order = Enumerable.Range(0, count).Select(i => (long)i).ToArray();
            random.Shuffle(order);
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
                    step = TrainStep(train.index_select(0, index), index);
                }
                step.Losses.ThrowIfNotFinite(epoch, b + 1, step.Terms);
                sumD += step.Losses.Discriminator;
                sumRec += step.Losses.Reconstruction;
                if (step.Losses.DiscriminatorReinitialised) reinits++;
                foreach (var (name, value) in step.Terms) sums[name] = sums.GetValueOrDefault(name) + value;
            }
            var summary = new BeatGanStudentEpoch(epoch, sumD / batches, sumRec / batches,
                sums.ToDictionary(kv => kv.Key, kv => kv.Value / batches), reinits);
            history.Add(summary);
            progress?.Report(summary);
        }
        return history;
    }

}
