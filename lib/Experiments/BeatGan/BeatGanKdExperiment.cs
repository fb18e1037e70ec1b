using Distill.Anomaly;
using Distill.Distillation;
using Distill.Distillation.BeatGan;
using Distill.Interop;
using Distill.Losses.BeatGan;
using Distill.Metrics;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Training;
using Distill.Training.BeatGan;
using Distill.Training.Checkpoints;

namespace Distill.Experiments.BeatGan;

/// <summary>Sizes, epochs and students of the BeatGAN distillation experiment.</summary>
/// <param name="Seeds">Seeds 0 … Seeds−1; each trains its own teacher and students.</param>
/// <param name="TeacherEpochs">Epochs of the teacher (best validation AUC kept).</param>
/// <param name="StudentEpochs">Epochs of every student (last epoch kept; no labelled beat is seen).</param>
/// <param name="BatchSize">Beats per step.</param>
/// <param name="LearningRate">Adam learning rate of every network.</param>
/// <param name="Teacher">Teacher sizes (the paper's: nz 50, ngf = ndf = 32).</param>
/// <param name="Student">Student sizes (ngf = ndf = 8, nz 16: a different code size exercises the latent regressor).</param>
/// <param name="Students">The distilled students to run besides the plain one, each a weighted combination of terms.</param>
/// <param name="TeacherSeed">When set, every seed's students are distilled from the teacher of this seed (trained once), so
/// the spread over seeds is the students' alone; when null, each seed trains its own teacher.</param>
/// <param name="TeacherOnly">Train the teachers and no student at all (a teacher's learning curve).</param>
/// <param name="Validation">How the teacher scores its validation beats to pick its epoch (the authors' training-mode batches by default).</param>
public sealed record BeatGanKdConfig(
    int Seeds,
    int TeacherEpochs,
    int StudentEpochs,
    int BatchSize,
    double LearningRate,
    BeatGanOptions Teacher,
    BeatGanOptions Student,
    IReadOnlyList<BeatGanKdStudent> Students,
    int? TeacherSeed = null,
    bool TeacherOnly = false,
    BeatGanValidation Validation = BeatGanValidation.TrainingModeBatches)
{
    /// <summary>One single-term student per distillation term, with its default weight (<see cref="BeatGanKdTerms.DefaultWeight"/>).</summary>
    public static IReadOnlyList<BeatGanKdStudent> SingleTermStudents { get; } =
        Enum.GetValues<BeatGanKdTerm>().Select(t => BeatGanKdStudent.Of((t, BeatGanKdTerms.DefaultWeight(t)))).ToArray();

    /// <summary>The configuration for the embedded demo beats (<see cref="BeatGanKdData.Load"/>).</summary>
    /// <remarks>Batch 16, because the demo split has 32 normal training beats. Deviation: the paper's learning rate
    /// 1e-4 needs thousands of steps; the demo split gives 2 steps per epoch, so this uses 1e-3 to train in a CPU-minute budget.</remarks>
    public static BeatGanKdConfig Default(int seeds, int teacherEpochs, int studentEpochs) => new(
        seeds, teacherEpochs, studentEpochs, 16, 1e-3, new BeatGanOptions(), StudentSizes, SingleTermStudents);

    /// <summary>The configuration for the MIT-BIH fold protocol (<see cref="BeatGanKdData.FromBeats"/>): the paper's
    /// batch 64 and Adam learning rate 1e-4 (Zhou et al., IJCAI 2019, Section 4.1).</summary>
    public static BeatGanKdConfig MitBih(int seeds, int teacherEpochs, int studentEpochs) => new(
        seeds, teacherEpochs, studentEpochs, 64, 1e-4, new BeatGanOptions(), StudentSizes, SingleTermStudents);

    private static BeatGanOptions StudentSizes => new(LatentSize: 16, GeneratorWidth: 8, DiscriminatorWidth: 8);
}

/// <summary>One trained model's test result.</summary>
/// <param name="Method">"teacher", "student" (no KD) or the student's <see cref="BeatGanKdStudent.Name"/>.</param>
/// <param name="Seed">The seed.</param>
/// <param name="Fold">The data fold (0 for the demo split).</param>
/// <param name="Evaluation">ROC AUC, AP and best F1 on the test beats, and the figures at a threshold chosen on the
/// validation beats.</param>
/// <param name="Seconds">Wall time of training this model (this invocation's; a model restored from a finished checkpoint
/// takes none).</param>
/// <param name="Steps">Training steps the model took (epochs × batches per epoch).</param>
/// <param name="TeacherSeed">The seed of the teacher a student was distilled from (the run's own seed for a teacher).</param>
/// <param name="History">A teacher's epochs (validation AUC, kept epoch, test metrics of each epoch's weights); empty for a student.</param>
public sealed record BeatGanKdRun(string Method, int Seed, int Fold, BeatGanKdEvaluation Evaluation, double Seconds, long Steps,
                                  int TeacherSeed, IReadOnlyList<BeatGanEpochSummary> History)
{
    /// <summary>ROC AUC, AP and the best F1 on the test beats.</summary>
    public BinaryEvaluation Test => Evaluation.Test;
}

/// <summary>Teacher, student without KD and each configured distilled student, over several seeds, on one <see cref="BeatGanKdData"/>.</summary>
/// <remarks>
/// Zhou et al., "BeatGAN", IJCAI 2019, for the models, training and score; the distillation terms of this folder.
/// For a given seed every student starts from the same initial weights and sees the same batch order, so the rows differ
/// only by their distillation terms; the constant KD of the lab notes must then reproduce the no-KD student exactly.
/// </remarks>
public static class BeatGanKdExperiment
{
    /// <summary>Metric names of <see cref="Summarise"/>'s rows.</summary>
    public static IReadOnlyList<string> Metrics { get; } = ["auc", "ap", "f1"];

    /// <summary>Runs every model for every seed; <paramref name="log"/> receives one line per trained model, ending with the
    /// count of models done and an ETA for the whole experiment (from the training steps left at this run's rate).</summary>
    /// <param name="config">Sizes, epochs and students.</param>
    /// <param name="data">The beats.</param>
    /// <param name="log">Receives a line per trained model.</param>
    /// <param name="fold">Recorded in each run (the fold <paramref name="data"/> was cut from).</param>
    /// <param name="teacher">Gives the teacher generator and discriminator of a seed, for example loaded from PyTorch files with
    /// <see cref="Interop.BeatGanPyTorch"/>; null trains one per seed (or one for <see cref="BeatGanKdConfig.TeacherSeed"/>) with
    /// <see cref="TrainTeacher(BeatGanKdConfig, BeatGanKdData, int, CheckpointOptions?, CancellationToken)"/>. The experiment disposes them.</param>
    /// <param name="checkpointFolder">Folder of one resumable checkpoint per trained model (<see cref="CheckpointFile"/>); a rerun
    /// resumes unfinished models and only restores finished ones. Null writes none.</param>
    /// <param name="settings">What the caller knows of the data that <paramref name="data"/>'s description does not say
    /// (records, subsampling), bound into every checkpoint: a rerun with other settings is refused.</param>
    /// <param name="cancellation">Stops training between steps (<see cref="OperationCanceledException"/>); each model's
    /// checkpoint keeps its last completed epoch.</param>
    /// <param name="teacherFolder">When set, every teacher trained here is saved there as PyTorch state_dicts with the authors'
    /// names (<see cref="TeacherFiles"/>), loadable by the authors' code and by <see cref="Interop.BeatGanPyTorch"/>, so
    /// later students can be distilled from it whatever becomes of checkpoint formats.</param>
    /// <param name="trainedTeachers">Teachers the caller has already trained for some seeds, as
    /// <see cref="TrainTeacher(BeatGanKdConfig, BeatGanKdData, int, CheckpointOptions?, CancellationToken)"/> would (notebook 05
    /// trains seed 0's in front of the reader first): used for those seeds instead of training them again (or calling
    /// <paramref name="teacher"/>), neither saved nor disposed here, and their rows have no history and take no time.</param>
    public static IReadOnlyList<BeatGanKdRun> Run(BeatGanKdConfig config, BeatGanKdData data, Action<string>? log = null, int fold = 0,
        Func<int, (BeatGanGenerator Generator, BeatGanDiscriminator Discriminator)>? teacher = null, string? checkpointFolder = null,
        string settings = "", CancellationToken cancellation = default, string? teacherFolder = null,
        IReadOnlyDictionary<int, (BeatGanGenerator Generator, BeatGanDiscriminator Discriminator)>? trainedTeachers = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        var runs = new List<BeatGanKdRun>();
        IEnumerable<int> teacherSeeds = config.TeacherSeed is { } only ? [only] : Enumerable.Range(0, config.Seeds);
        int teachers = teacher is not null ? 0 : teacherSeeds.Count(s => trainedTeachers?.ContainsKey(s) != true);
        int students = config.TeacherOnly ? 0 : config.Seeds * (config.Students.Count + 1);
        var overall = new ProgressClock();
        overall.Update(0, Batches(config, data) * ((long)teachers * config.TeacherEpochs + (long)students * config.StudentEpochs));
        int models = (config.TeacherSeed is null ? config.Seeds : 1) + students;
        void Add(BeatGanKdRun run) => BeatGanKdExperiment.Add(runs, run, overall, models, log);
        (BeatGanGenerator Generator, BeatGanDiscriminator Discriminator)? shared = null;
        for (int seed = 0; seed < config.Seeds; seed++)
        {
            int teacherSeed = config.TeacherSeed ?? seed;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var teacherPair = shared;
            bool given = false;
            if (teacherPair is null && trainedTeachers is not null && trainedTeachers.TryGetValue(teacherSeed, out var known))
            {
                (teacherPair, given) = (known, true);
                Add(new BeatGanKdRun("teacher", teacherSeed, fold, BeatGanKdEvaluation.Measure(known.Generator, data), 0, 0, teacherSeed, []));
                if (config.TeacherSeed is not null) shared = known;
            }
            if (teacherPair is null)
            {
                IReadOnlyList<BeatGanEpochSummary> history = [];
                var trained = teacher?.Invoke(teacherSeed) ?? TrainTeacher(config, data, teacherSeed,
                    Checkpoint(checkpointFolder, fold, teacherSeed, "teacher", config.TeacherEpochs, data, settings, log), out history,
                    Progress(log, fold, teacherSeed, "teacher"), cancellation);
                teacherPair = trained;
                if (teacher is null && teacherFolder is not null) SaveTeacher(trained, teacherFolder, fold, teacherSeed, log);
                Add(new BeatGanKdRun("teacher", teacherSeed, fold, BeatGanKdEvaluation.Measure(trained.Generator, data),
                    clock.Elapsed.TotalSeconds, teacher is null ? (long)config.TeacherEpochs * Batches(config, data) : 0, teacherSeed, history));
                if (config.TeacherSeed is not null) shared = trained;
            }
            if (!config.TeacherOnly)
                foreach (var recipe in config.Students.Prepend(null))
                {
                    clock.Restart();
                    string model = (recipe?.Name ?? "student").Replace(" ", "");
                    string name = config.TeacherSeed is null ? model : $"{model}-teacher{teacherSeed}";
                    var lines = Progress(log, fold, seed, recipe?.Name ?? "student", config.StudentEpochs, Batches(config, data));
                    using var student = TrainStudent(config, data, seed, teacherPair.Value.Generator, teacherPair.Value.Discriminator, recipe,
                        Checkpoint(checkpointFolder, fold, seed, name, config.StudentEpochs, data, settings, log), cancellation, lines, lines);
                    Add(new BeatGanKdRun(recipe?.Name ?? "student", seed, fold, BeatGanKdEvaluation.Measure(student, data),
                        clock.Elapsed.TotalSeconds, (long)config.StudentEpochs * Batches(config, data), teacherSeed, []));
                }
            if (shared is null && !given)
            {
                teacherPair.Value.Generator.Dispose();
                teacherPair.Value.Discriminator.Dispose();
            }
        }
        if (shared is { } last && !(trainedTeachers?.Values.Contains(last) ?? false))
        {
            last.Generator.Dispose();
            last.Discriminator.Dispose();
        }
        return runs;
    }

    /// <summary>Trains the teacher generator and discriminator of <paramref name="seed"/>, keeping the epoch of best validation AUC.</summary>
    /// <param name="config">Sizes and epochs.</param>
    /// <param name="data">The beats.</param>
    /// <param name="seed">Seed of the initialisation and the batch order.</param>
    /// <param name="checkpoint">Where to write and resume the teacher's checkpoint; none when null.</param>
    /// <param name="cancellation">Stops training between steps (<see cref="OperationCanceledException"/>).</param>
    public static (BeatGanGenerator Generator, BeatGanDiscriminator Discriminator) TrainTeacher(BeatGanKdConfig config, BeatGanKdData data, int seed,
        CheckpointOptions? checkpoint = null, CancellationToken cancellation = default)
        => TrainTeacher(config, data, seed, checkpoint, out _, null, cancellation);

    /// <summary>Trains the teacher of <paramref name="seed"/> as <see cref="TrainTeacher(BeatGanKdConfig, BeatGanKdData, int, CheckpointOptions?, CancellationToken)"/>
    /// does, measuring the test beats after every epoch (<see cref="BeatGanKdEvaluation"/> of the current weights, kept in
    /// <paramref name="history"/>: a learning curve; model selection still uses the validation beats alone).</summary>
    /// <param name="config">Sizes and epochs.</param>
    /// <param name="data">The beats.</param>
    /// <param name="seed">Seed of the initialisation and the batch order.</param>
    /// <param name="checkpoint">Where to write and resume the teacher's checkpoint; none when null.</param>
    /// <param name="history">Every epoch's summary, with the test metrics of that epoch's weights.</param>
    /// <param name="progress">Receives the trainer's step and epoch reports.</param>
    /// <param name="cancellation">Stops training between steps (<see cref="OperationCanceledException"/>).</param>
    public static (BeatGanGenerator Generator, BeatGanDiscriminator Discriminator) TrainTeacher(BeatGanKdConfig config, BeatGanKdData data, int seed,
        CheckpointOptions? checkpoint, out IReadOnlyList<BeatGanEpochSummary> history, IProgress<BeatGanProgress>? progress,
        CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        Reproducibility.Seed(seed);
        var teacher = new BeatGanGenerator(config.Teacher, data.Train.device);
        var teacherD = new BeatGanDiscriminator(config.Teacher, data.Train.device);
        var training = new BeatGanTrainer(teacher, teacherD, new BeatGanTrainingOptions(Epochs: config.TeacherEpochs, BatchSize: config.BatchSize,
            LearningRate: config.LearningRate, Seed: seed, Validation: config.Validation), checkpoint);
        try
        {
            var result = training.Fit(data.Train, data.Validation, data.ValidationLabels, (s, l) => BinaryMetrics.RocAuc(s, l), progress,
                cancellation, epochMetrics: g => BeatGanKdEvaluation.Measure(g, data).ToMetrics());
            result.Best.Dispose();
            history = result.History;
        }
        catch
        {
            teacher.Dispose();
            teacherD.Dispose();
            throw;
        }
        return (teacher, teacherD);
    }

    /// <summary>Trains one student of <paramref name="seed"/>, plain (<paramref name="recipe"/> null) or with the recipe's terms.</summary>
    /// <param name="config">Sizes and epochs.</param>
    /// <param name="data">The beats.</param>
    /// <param name="seed">Seed of the batch order (the initialisation is seeded by 10,000 + seed).</param>
    /// <param name="teacher">The trained teacher generator.</param>
    /// <param name="teacherDiscriminator">The teacher's discriminator (used by the d-at term).</param>
    /// <param name="recipe">The distillation terms and weights; null for the plain student.</param>
    /// <param name="checkpoint">Where to write and resume the student's checkpoint; none when null.</param>
    /// <param name="cancellation">Stops training between steps (<see cref="OperationCanceledException"/>).</param>
    /// <param name="progress">Receives each student epoch.</param>
    /// <param name="steps">Receives each student step (progress within an epoch).</param>
    public static BeatGanGenerator TrainStudent(BeatGanKdConfig config, BeatGanKdData data, int seed, BeatGanGenerator teacher,
        BeatGanDiscriminator teacherDiscriminator, BeatGanKdStudent? recipe, CheckpointOptions? checkpoint = null,
        CancellationToken cancellation = default, IProgress<BeatGanStudentEpoch>? progress = null, IProgress<BeatGanProgress>? steps = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(teacherDiscriminator);
        // Terms first: building one may draw random numbers (a regressor, CRD's memory), which must not shift the student's initialisation.
        var terms = recipe?.Terms.Select(t => new DistillationTerm(
            BeatGanKdTerms.Create(t.Term, config.Student, config.Teacher, teacherDiscriminator, data.Train.shape[0]), t.Weight)).ToArray() ?? [];
        Reproducibility.Seed(10_000 + seed); // the same student initialisation for every recipe
        var student = new BeatGanGenerator(config.Student, data.Train.device);
        var studentD = new BeatGanDiscriminator(config.Student, data.Train.device);
        var options = new BeatGanStudentOptions(
            new BeatGanTrainingOptions(Epochs: config.StudentEpochs, BatchSize: config.BatchSize, LearningRate: config.LearningRate, Seed: seed),
            AcceptGradientFreeTerms: terms.Any(t => t.Loss is ConstantScoreKdLoss));
        new BeatGanStudentTrainer(student, studentD, teacher, terms, options, checkpoint).Fit(data.Train, progress, cancellation, steps);
        foreach (var term in terms) term.Loss.Dispose();
        return student;
    }

    /// <summary>Mean ± std of AUC, AP and F1 per method over seeds and folds, in first-run order.</summary>
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

    /// <summary>The checkpoint file of one model: <c>fold{fold}-seed{seed}-{model}.ckpt</c>, with characters other than letters,
    /// digits and <c>+ - = . _</c> replaced by <c>_</c>.</summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <param name="fold">The data fold.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="model">"teacher", "student" or "student+" and the recipe's name without spaces.</param>
    public static string CheckpointFile(string folder, int fold, int seed, string model)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(model);
        var safe = model.Select(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '=' or '.' or '_' ? c : '_').ToArray();
        return Path.Combine(folder, $"fold{fold}-seed{seed}-{new string(safe)}.ckpt");
    }

    // The data's description and the fold tie a checkpoint to its data; the trainers add sizes, options and terms.
    private static CheckpointOptions? Checkpoint(string? folder, int fold, int seed, string model, int epochs, BeatGanKdData data, string settings,
        Action<string>? log)
    {
        if (folder is null) return null;
        string path = CheckpointFile(folder, fold, seed, model);
        if (File.Exists(path))
        {
            // A file with more epochs than this run is refused by the trainer, which says why: nothing is announced for it.
            int done = Training.Checkpoints.Checkpoint.ReadEpoch(path);
            if (done == epochs) log?.Invoke($"fold {fold} seed {seed} {model}: complete in {path} ({done} of {epochs} epochs), nothing to train");
            else if (done < epochs) log?.Invoke($"fold {fold} seed {seed} {model}: resumes from {path} after epoch {done} of {epochs}");
        }
        return new CheckpointOptions(path, Settings: settings.Length == 0 ? $"{data.Description}; fold {fold}" : $"{data.Description}; fold {fold}; {settings}");
    }

    private static void Add(List<BeatGanKdRun> runs, BeatGanKdRun run, ProgressClock overall, int models, Action<string>? log)
    {
        runs.Add(run);
        overall.Update(overall.Done + run.Steps, overall.Total);
        string eta = overall.Remaining is { } left ? $", ETA {ProgressClock.Duration(left)}" : "";
        log?.Invoke(string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"fold {run.Fold} seed {run.Seed} {run.Method,-24} {run.Evaluation} ({run.Seconds:F1} s); {runs.Count} of {models} models{eta}"));
    }

    /// <summary>The PyTorch files of a saved teacher: <c>fold{fold}-seed{seed}-teacher-G.pt</c> and <c>-D.pt</c>.</summary>
    public static (string Generator, string Discriminator) TeacherFiles(string folder, int fold, int seed)
    {
        ArgumentNullException.ThrowIfNull(folder);
        return (Path.Combine(folder, $"fold{fold}-seed{seed}-teacher-G.pt"), Path.Combine(folder, $"fold{fold}-seed{seed}-teacher-D.pt"));
    }

    private static void SaveTeacher((BeatGanGenerator Generator, BeatGanDiscriminator Discriminator) teacher, string folder, int fold, int seed,
        Action<string>? log)
    {
        Directory.CreateDirectory(folder);
        var (g, d) = TeacherFiles(folder, fold, seed);
        teacher.Generator.SavePyTorch(g, PyTorchLayouts.BeatGanGenerator(teacher.Generator));
        teacher.Discriminator.SavePyTorch(d, PyTorchLayouts.BeatGanDiscriminator(teacher.Discriminator));
        log?.Invoke($"fold {fold} seed {seed} teacher: kept weights saved to {g} and {d}");
    }

    private static int Batches(BeatGanKdConfig config, BeatGanKdData data) => (int)(data.Train.shape[0] / config.BatchSize);

    // Progress lines at most once a minute within an epoch, and after each epoch longer than that.
    private static BeatGanProgressLines? Progress(Action<string>? log, int fold, int seed, string model, int epochs = 0, int stepsPerEpoch = 0)
        => log is null ? null
            : new BeatGanProgressLines($"fold {fold} seed {seed} {model}", log, TimeSpan.FromMinutes(1)) { Epochs = epochs, StepsPerEpoch = stepsPerEpoch };
}
