using System.CommandLine;
using System.Diagnostics;
using Distill.Data.Ecg;
using Distill.Distillation.BeatGan;
using Distill.Interop;
using Distill.Models.BeatGan;
using Distill.Training;
using Spectre.Console;

namespace Distill.Cli;

/// <summary><c>distill reproduce beatgan</c>: the lab notes' experiment done right — BeatGAN teacher, student without KD and
/// distilled students, over seeds (and MIT-BIH folds), with a results table and a CSV/JSON of every run.</summary>
public static class ReproduceCommand
{
    private static readonly string TermNames = string.Join(", ", Enum.GetValues<BeatGanKdTerm>().Select(BeatGanKdTerms.Name));

    /// <summary>Builds the <c>reproduce</c> command with its <c>beatgan</c> subcommand.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var data = new Option<string>("--data")
        {
            Description = "Beats to use. 'embedded': the BeatGAN authors' 128 demo MIT-BIH beats shipped in data/ " +
                          "(train 32 normal; validation 8 normal + 16 abnormal; test 24 normal + 48 abnormal); batch 16, Adam 1e-3. " +
                          "'mitbih': the paper's protocol on MIT-BIH records (44 non-paced records, 5 folds of the normal beats, every " +
                          "abnormal beat tested, 10% to validation); batch 64, Adam 1e-4. Get the records with 'distill data mitbih --download'.",
            DefaultValueFactory = _ => "embedded",
        };
        data.Validators.Add(r =>
        {
            string value = r.GetValueOrDefault<string>() ?? "";
            if (value is not ("embedded" or "mitbih")) r.AddError($"--data must be 'embedded' or 'mitbih', got '{value}'.");
        });
        var cache = new Option<DirectoryInfo>("--cache")
        {
            Description = $"With --data mitbih: folder holding the records (default ${MitBih.CacheVariable}, else ~/.cache/distill/mitdb).",
            DefaultValueFactory = _ => new DirectoryInfo(MitBih.DefaultCacheFolder),
        };
        var mitbihOptions = new MitBihOptions();
        var folds = new Option<int[]>("--folds")
        {
            Description = "With --data mitbih: which of the 5 folds to run (each tests on its fifth of the normal beats); results are " +
                          "pooled over folds and seeds. Default: fold 0.",
            AllowMultipleArgumentsPerToken = true,
            DefaultValueFactory = _ => [0],
        };
        folds.Validators.Add(r =>
        {
            var values = r.GetValueOrDefault<int[]>() ?? [];
            if (values.Length == 0 || values.Any(f => f is < 0 or > 4) || values.Distinct().Count() != values.Length)
                r.AddError($"--folds takes distinct fold numbers 0-4, got [{string.Join(", ", values)}].");
        });
        var maxTrain = Positive(new Option<int?>("--max-train-beats")
        {
            Description = "With --data mitbih: train on a random subset of at most N normal beats (validation and test beats are never " +
                          "subsampled). Default: all (~65,000 on the full database; one teacher epoch is then ~1,000 steps).",
        });
        var seeds = Positive(new Option<int>("--seeds") { Description = "Number of seeds (0..N-1).", DefaultValueFactory = _ => 5 });
        var teacherEpochs = Positive(new Option<int?>("--teacher-epochs") { Description = "Teacher epochs; the epoch of best validation AUC is kept (default 30 on embedded: 2 steps each; 20 on mitbih: ~1,000 steps each)." });
        var studentEpochs = Positive(new Option<int?>("--student-epochs") { Description = "Epochs of every student; the last epoch is kept (default 100 on embedded, 20 on mitbih)." });
        var batchSize = Positive(new Option<int?>("--batch-size") { Description = "Beats per step (default 16 on embedded, 64 on mitbih)." });
        var learningRate = new Option<double?>("--lr") { Description = "Adam learning rate of every network (default 1e-3 on embedded, the paper's 1e-4 on mitbih)." };
        learningRate.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<double?>() is { } lr && (!(lr > 0) || !double.IsFinite(lr))) r.AddError($"--lr must be a positive number, got {lr}.");
        });
        var students = new Option<string[]>("--students")
        {
            Description = $"Distilled students to train besides the plain one, each a term or terms joined by '+', each with an optional " +
                          $"'=weight', e.g. --students rec-kd crd=0.05 'rec-kd+latent'. Terms: {TermNames}. Default: one student per term " +
                          "with its default weight.",
            AllowMultipleArgumentsPerToken = true,
        };
        students.Validators.Add(r =>
        {
            foreach (string recipe in r.GetValueOrDefault<string[]>() ?? [])
                try { BeatGanKdStudent.Parse(recipe); }
                catch (FormatException error) { r.AddError($"--students: {error.Message}"); }
        });
        var tune = new Option<bool>("--tune-weights")
        {
            Description = "Before the runs, choose each student's weight factor (x1, x0.1, x10) by validation AUC, with a teacher and " +
                          $"students of seed {BeatGanKdWeightTuning.TuningSeed} (not a reported seed); the test beats are never used for it.",
        };
        var teacherFile = new Option<FileInfo?>("--teacher")
        {
            Description = "Use this teacher generator instead of training one: a PyTorch state_dict saved by the BeatGAN authors' code " +
                          "(torch.save(G.state_dict(), path)) with the paper's sizes (nc 1, nz 50, ngf = ndf = 32). Needs --teacher-discriminator.",
        };
        var teacherDiscriminatorFile = new Option<FileInfo?>("--teacher-discriminator")
        {
            Description = "The teacher's discriminator state_dict (PyTorch), used by the d-at term; goes with --teacher.",
        };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Folder receiving beatgan-runs.csv and beatgan-runs.json (data, fold, method, terms and weights, seed, sizes, " +
                          "epochs, test AUC, AP, best F1, wall time).",
            DefaultValueFactory = _ => new DirectoryInfo("distill-runs"),
        };
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint")
        {
            Description = "Folder of resumable checkpoints, one file per model: fold0-seed1-teacher.ckpt, fold0-seed1-student.ckpt, " +
                          "fold0-seed1-student+rec-kd.ckpt, ... (networks, both Adams, RNG, history; replaced atomically after every epoch). " +
                          "A rerun with the same options resumes unfinished models after their last epoch, bit-identically on the CPU, and " +
                          "trains nothing twice; a checkpoint written with other options is refused (use another folder).",
        };
        var beatgan = new Command("beatgan", "BeatGAN anomaly detection (Zhou et al., IJCAI 2019): teacher, student without KD, and distilled " +
                                             $"students ({TermNames}; const-kd is the lab notes' gradient-free KL, kept to show it changes nothing).")
        {
            data, cache, folds, maxTrain, seeds, teacherEpochs, studentEpochs, batchSize, learningRate, students, tune,
            teacherFile, teacherDiscriminatorFile, output, checkpoint,
        };
        mitbihOptions.AddTo(beatgan);
        beatgan.Validators.Add(r =>
        {
            if ((r.GetValue(teacherFile) is null) != (r.GetValue(teacherDiscriminatorFile) is null))
                r.AddError("--teacher and --teacher-discriminator go together: the d-at term and the students' setup need both networks.");
            if (r.GetValue(data) != "mitbih")
                foreach (var option in new Option[] { mitbihOptions.Records, mitbihOptions.Segmentation, folds, maxTrain })
                    if (r.GetResult(option) is { Implicit: false })
                        r.AddError($"{option.Name} applies to --data mitbih only.");
        });
        beatgan.SetAction(parse => Failures.Guard(console, () =>
        {
            bool mitbih = parse.GetValue(data) == "mitbih";
            int seedCount = parse.GetValue(seeds);
            int teacherE = parse.GetValue(teacherEpochs) ?? (mitbih ? 20 : 30), studentE = parse.GetValue(studentEpochs) ?? (mitbih ? 20 : 100);
            var config = mitbih ? BeatGanKdConfig.MitBih(seedCount, teacherE, studentE) : BeatGanKdConfig.Default(seedCount, teacherE, studentE);
            config = config with
            {
                BatchSize = parse.GetValue(batchSize) ?? config.BatchSize,
                LearningRate = parse.GetValue(learningRate) ?? config.LearningRate,
                Students = parse.GetValue(students) is { Length: > 0 } recipes ? recipes.Select(BeatGanKdStudent.Parse).ToArray() : config.Students,
            };
            var splits = mitbih ? MitBihFolds(mitbihOptions.Source(parse, parse.GetValue(cache)!), mitbihOptions, parse, parse.GetValue(folds)!, parse.GetValue(maxTrain), console)
                                : [(0, BeatGanKdData.Load())];
            var clock = Stopwatch.StartNew();
            var runs = new List<BeatGanKdRun>();
            var log = new BeatGanRunLog(parse.GetValue(data)!);
            foreach (var (fold, beats) in splits)
            {
                console.WriteLine(beats.Description);
                var foldConfig = parse.GetValue(tune) ? Tuned(config, beats, console) : config;
                console.WriteLine($"batch {foldConfig.BatchSize}, lr {foldConfig.LearningRate}, students: {string.Join("; ", foldConfig.Students)}");
                var foldRuns = BeatGanKdExperiment.Run(foldConfig, beats, line => console.WriteLine(line), fold,
                    parse.GetValue(teacherFile) is { } g ? _ => LoadTeacher(g, parse.GetValue(teacherDiscriminatorFile)!, foldConfig) : null,
                    parse.GetValue(checkpoint)?.FullName);
                runs.AddRange(foldRuns);
                log.Add(foldConfig, beats, foldRuns);
            }
            console.WriteLine(ResultSummary.ToMarkdown(BeatGanKdExperiment.Summarise(runs)));
            var folder = parse.GetValue(output)!;
            folder.Create();
            var (csv, json) = log.Write(folder.FullName);
            console.WriteLine($"{runs.Count} models in {clock.Elapsed.TotalSeconds:F0} s; runs written to {csv} and {json}");
            return ExitCode.Success;
        }));
        return new Command("reproduce", "Reproduce a documented experiment end to end.") { beatgan };
    }

    private static IEnumerable<(int Fold, BeatGanKdData Data)> MitBihFolds(
        MitBihSource source, MitBihOptions options, ParseResult parse, int[] folds, int? maxTrainBeats, IAnsiConsole console)
    {
        string description = $"{source.Description} Segmentation: {parse.GetValue(options.Segmentation)}.";
        console.WriteLine($"{description} Segmenting...");
        var beats = source.Segment(options.SegmentationOptions(parse), new SegmentationProgress(console)).Beats;
        foreach (int fold in folds)
        {
            BeatGanKdData split;
            try { split = BeatGanKdData.FromBeats(beats, fold, description, maxTrainBeats: maxTrainBeats); }
            catch (ArgumentException error) { throw new InvalidDataException(error.Message, error); }
            yield return (fold, split);
        }
    }

    private static (BeatGanGenerator, BeatGanDiscriminator) LoadTeacher(FileInfo generator, FileInfo discriminator, BeatGanKdConfig config)
    {
        foreach (var file in new[] { generator, discriminator })
            if (!file.Exists) throw new FileNotFoundException($"The teacher file '{file.FullName}' does not exist.", file.FullName);
        var g = BeatGanPyTorch.LoadGenerator(generator.FullName, config.Teacher);
        try { return (g, BeatGanPyTorch.LoadDiscriminator(discriminator.FullName, config.Teacher)); }
        catch { g.Dispose(); throw; }
    }

    private static BeatGanKdConfig Tuned(BeatGanKdConfig config, BeatGanKdData data, IAnsiConsole console)
    {
        var tunings = BeatGanKdWeightTuning.Tune(config, data, log: line => console.WriteLine(line));
        return config with { Students = tunings.Select(t => t.Chosen).ToArray() };
    }

    private static Option<T> Positive<T>(Option<T> option)
    {
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<T>() is int value && value < 1) r.AddError($"{option.Name} must be at least 1, got {value}.");
        });
        return option;
    }
}
