using Distill.Anomaly;
using Distill.Metrics;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Training;
using Distill.Training.BeatGan;
using static TorchSharp.torch;

namespace Distill.Distillation.BeatGan;

/// <summary>Sizes, epochs and term weights of the BeatGAN distillation experiment.</summary>
/// <param name="Seeds">Seeds 0 … Seeds−1; each trains its own teacher and students.</param>
/// <param name="TeacherEpochs">Epochs of the teacher (best validation AUC kept).</param>
/// <param name="StudentEpochs">Epochs of every student (last epoch kept; no labelled beat is seen).</param>
/// <param name="BatchSize">Beats per step (16: the demo split has 32 normal training beats).</param>
/// <param name="Teacher">Teacher sizes (the paper's: nz 50, ngf = ndf = 32).</param>
/// <param name="Student">Student sizes (ngf = ndf = 8, nz 16: a different code size exercises the latent regressor).</param>
/// <param name="LearningRate">Adam learning rate of every network. Deviation: the paper's 1e-4 needs thousands of steps;
/// the demo split gives 2 steps per epoch, so the experiment uses 1e-3 to train in a CPU-minute budget.</param>
/// <param name="Terms">The single-term students to run, with their weights.</param>
public sealed record BeatGanKdConfig(
    int Seeds,
    int TeacherEpochs,
    int StudentEpochs,
    int BatchSize,
    double LearningRate,
    BeatGanOptions Teacher,
    BeatGanOptions Student,
    IReadOnlyList<(BeatGanKdTerm Term, double Weight)> Terms)
{
    /// <summary>The experiment's default configuration for a given budget.</summary>
    /// <remarks>Weights put each term's gradient on the scale of the reconstruction MSE: AT maps are unit-normalised and
    /// their squared differences small (RepDistiller weights AT by 1000; 100 here), the score KD is scaled by T² with
    /// T = 0.01 (weight 100). They were chosen once, not tuned on the test beats.</remarks>
    public static BeatGanKdConfig Default(int seeds, int teacherEpochs, int studentEpochs) => new(
        seeds, teacherEpochs, studentEpochs, 16, 1e-3,
        new BeatGanOptions(),
        new BeatGanOptions(LatentSize: 16, GeneratorWidth: 8, DiscriminatorWidth: 8),
        [
            (BeatGanKdTerm.Reconstruction, 1.0),
            (BeatGanKdTerm.AnomalyScore, 100.0),
            (BeatGanKdTerm.Latent, 1.0),
            (BeatGanKdTerm.EncoderAttention, 100.0),
            (BeatGanKdTerm.DiscriminatorAttention, 100.0),
            (BeatGanKdTerm.ConstantKd, 1.0),
        ]);
}

/// <summary>One trained model's test result.</summary>
/// <param name="Method">"teacher", "student" (no KD) or "student + term".</param>
/// <param name="Seed">The seed.</param>
/// <param name="Test">ROC AUC, AP and best F1 on the test beats.</param>
public sealed record BeatGanKdRun(string Method, int Seed, BinaryEvaluation Test);

/// <summary>Teacher, student without KD and one student per term, over several seeds, on <see cref="BeatGanKdData"/>.</summary>
/// <remarks>
/// Zhou et al., "BeatGAN", IJCAI 2019, for the models, training and score; the distillation terms of this folder.
/// For a given seed every student starts from the same initial weights and sees the same batch order, so the rows differ
/// only by their distillation term; the constant KD of the lab notes must then reproduce the no-KD student exactly.
/// </remarks>
public static class BeatGanKdExperiment
{
    /// <summary>Metric names of <see cref="Summarise"/>'s rows.</summary>
    public static IReadOnlyList<string> Metrics { get; } = ["auc", "ap", "f1"];

    /// <summary>Runs every model for every seed; <paramref name="log"/> receives one line per trained model.</summary>
    public static IReadOnlyList<BeatGanKdRun> Run(BeatGanKdConfig config, BeatGanKdData data, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        var runs = new List<BeatGanKdRun>();
        for (int seed = 0; seed < config.Seeds; seed++)
        {
            Reproducibility.Seed(seed);
            var teacher = new BeatGanGenerator(config.Teacher);
            var teacherD = new BeatGanDiscriminator(config.Teacher);
            var training = new BeatGanTrainer(teacher, teacherD, new BeatGanTrainingOptions(Epochs: config.TeacherEpochs, BatchSize: config.BatchSize, LearningRate: config.LearningRate, Seed: seed));
            training.Fit(data.Train, data.Validation, data.ValidationLabels, (s, l) => BinaryMetrics.RocAuc(s, l)).Best.Dispose();
            Add(runs, "teacher", seed, teacher, data, log);

            Add(runs, "student", seed, TrainStudent(config, data, seed, teacher, teacherD, null), data, log);
            foreach (var (term, weight) in config.Terms)
            {
                var loss = BeatGanKdTerms.Create(term, config.Student, config.Teacher, teacherD);
                Add(runs, $"student + {loss.Name}", seed, TrainStudent(config, data, seed, teacher, teacherD, new DistillationTerm(loss, weight)), data, log);
            }
        }
        return runs;
    }

    /// <summary>Trains one student of <paramref name="seed"/> with at most one distillation term.</summary>
    public static BeatGanGenerator TrainStudent(BeatGanKdConfig config, BeatGanKdData data, int seed, BeatGanGenerator teacher,
        BeatGanDiscriminator teacherDiscriminator, DistillationTerm? term)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(teacherDiscriminator);
        Reproducibility.Seed(10_000 + seed); // the same student initialisation for every term
        var student = new BeatGanGenerator(config.Student);
        var studentD = new BeatGanDiscriminator(config.Student);
        var options = new BeatGanStudentOptions(
            new BeatGanTrainingOptions(Epochs: config.StudentEpochs, BatchSize: config.BatchSize, LearningRate: config.LearningRate, Seed: seed),
            AcceptGradientFreeTerms: term?.Loss is ConstantScoreKdLoss);
        new BeatGanStudentTrainer(student, studentD, teacher, term is null ? [] : [term], options).Fit(data.Train);
        return student;
    }

    /// <summary>Mean ± std of AUC, AP and F1 per method, in first-run order.</summary>
    public static IReadOnlyList<ResultRow> Summarise(IEnumerable<BeatGanKdRun> runs) =>
        runs.GroupBy(r => r.Method)
            .Select(g => new ResultRow(g.Key, new Dictionary<string, MeanStd>
            {
                ["auc"] = MeanStd.Of(g.Select(r => r.Test.RocAuc).ToArray()),
                ["ap"] = MeanStd.Of(g.Select(r => r.Test.AveragePrecision).ToArray()),
                ["f1"] = MeanStd.Of(g.Select(r => r.Test.BestF1).ToArray()),
            }))
            .ToArray();

    /// <summary>Test metrics of a generator on the test beats.</summary>
    public static BinaryEvaluation Evaluate(BeatGanGenerator generator, BeatGanKdData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return BinaryEvaluation.Of(ReconstructionScores.Compute(generator, data.Test), data.TestLabels);
    }

    private static void Add(List<BeatGanKdRun> runs, string method, int seed, BeatGanGenerator generator, BeatGanKdData data, Action<string>? log)
    {
        var test = Evaluate(generator, data);
        runs.Add(new BeatGanKdRun(method, seed, test));
        log?.Invoke($"seed {seed} {method,-22} auc {test.RocAuc:F4} ap {test.AveragePrecision:F4} f1 {test.BestF1:F4}");
    }
}
