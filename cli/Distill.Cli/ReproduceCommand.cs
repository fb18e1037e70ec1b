using System.CommandLine;
using System.Diagnostics;
using Distill.Data.Ecg;
using Distill.Distillation;
using Distill.Distillation.BeatGan;
using Distill.Experiments.BeatGan;
using Distill.Interop;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Training;
using Distill.Training.BeatGan;
using Distill.Training.Checkpoints;
using Spectre.Console;

namespace Distill.Cli;

/// <summary><c>distill reproduce beatgan</c>: the lab notes' experiment done right — BeatGAN teacher, student without KD and
/// distilled students, over seeds (and MIT-BIH folds), with a results table and a CSV/JSON of every run.</summary>
public static class ReproduceCommand
{
    private static readonly string TermNames = string.Join(", ", Enum.GetValues<BeatGanKdTerm>().Select(BeatGanKdTerms.Name));

    /// <summary>Builds the <c>reproduce</c> command with its <c>beatgan</c> subcommand.</summary>
    public static Command Create(Terminal terminal)
    {
        var console = terminal.Out;
        var data = CliOptions.DataSet("Beats to use. 'embedded': the BeatGAN authors' 128 demo MIT-BIH beats shipped in data/ " +
            "(train 32 normal; validation 8 normal + 16 abnormal; test 24 normal + 48 abnormal); batch 16, Adam 1e-3. " +
            "'mitbih': the paper's protocol on MIT-BIH records (44 non-paced records, 5 folds of the normal beats, every " +
            "abnormal beat tested, 10% to validation); batch 64, Adam 1e-4. Get the records with 'distill data mitbih --download'.",
            ["embedded", "mitbih"], _ => "MIT-BIH records of your own: --data mitbih --cache DIR.");
        var cache = new Option<DirectoryInfo>("--cache")
        {
            Description = $"With --data mitbih: folder holding the records (default ${MitBih.CacheVariable}, else ~/.cache/distill/mitdb).",
            DefaultValueFactory = _ => new DirectoryInfo(MitBih.DefaultCacheFolder),
        };
        var mitbihOptions = new MitBihOptions();
        var folds = CliOptions.Integers("--folds",
            "With --data mitbih: which of the 5 folds to run (each tests on its fifth of the normal beats); results are " +
            "pooled over folds and seeds. Default: fold 0.", [0], 0, 4, maxCount: 5, distinct: true);
        var maxTrain = CliOptions.OptionalInteger("--max-train-beats",
            "With --data mitbih: train on a random subset of at most N normal beats (validation and test beats are never " +
            "subsampled). Default: all (~65,000 on the full database; one teacher epoch is then ~1,000 steps).", 1);
        var seeds = CliOptions.Integer("--seeds", "Number of seeds (0..N-1).", 5, 1, CliOptions.MaxSeeds);
        var teacherEpochs = CliOptions.OptionalInteger("--teacher-epochs",
            "Teacher epochs; the epoch of best validation AUC is kept (default 30 on embedded: 2 steps each; 20 on mitbih: ~1,000 steps each). " +
            "Not with --teacher (a loaded teacher is not trained here).", 1, CliOptions.MaxCount);
        var studentEpochs = CliOptions.OptionalInteger("--student-epochs",
            "Epochs of every student; the last epoch is kept (default 100 on embedded, 20 on mitbih).", 1, CliOptions.MaxCount);
        var batchSize = CliOptions.OptionalInteger("--batch-size", "Beats per step (default 16 on embedded, 64 on mitbih).", 1, CliOptions.MaxCount);
        var learningRate = CliOptions.OptionalNumber("--lr",
            "Adam learning rate of every network (default 1e-3 on embedded, the paper's 1e-4 on mitbih).", positive: true);
        var methods = new Option<string[]>("--method")
        {
            HelpName = "spec",
            Description = $"Distilled students, one per spec, in the grammar of 'distill --method': terms joined by '+', each with an " +
                          $"optional '=weight', e.g. --method rec-kd crd=0.05 'rec-kd+latent'. Terms: {TermNames}. 'none' is the student " +
                          "without distillation, which is always trained as the baseline: '--method none' trains it alone. Default: one " +
                          "student per term with its default weight.",
            AllowMultipleArgumentsPerToken = true,
        };
        methods.Validators.Add(r =>
        {
            foreach (string spec in (r.GetValueOrDefault<string[]>() ?? []).Where(v => v != SpecGrammar.None))
                try { BeatGanKdStudent.Parse(spec); }
                catch (FormatException error) { r.AddError($"--method: {error.Message}"); }
        });
        var teachersOnly = new Option<bool>("--teachers-only")
        {
            Description = "Train the teachers and no student at all (a teacher's learning curve); not with --method.",
        };
        var saveTeachers = new Option<bool>("--save-teachers")
        {
            Description = "Save every teacher trained here (its kept epoch) under OUT/teachers as PyTorch state_dicts with the authors' names " +
                          "(fold0-seed0-teacher-G.pt and -D.pt), for --teacher/--teacher-discriminator and for the authors' code.",
        };
        var scores = new Option<bool>("--scores")
        {
            Description = "Also write OUT/beatgan-scores.csv: every model's raw reconstruction error of every test beat, with its AAMI " +
                          "class and label (for ROC curves per class).",
        };
        var teacherSeed = new Option<int?>("--teacher-seed")
        {
            Description = "Distil every seed's students from the teacher of this seed (trained once, or resumed from --checkpoint), so the " +
                          "spread over seeds is the students' own. Default: each seed trains its own teacher.",
        };
        teacherSeed.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 0) r.AddError($"--teacher-seed must be 0 or more, got {r.GetValueOrDefault<int?>()}.");
        });
        var validation = new Option<string>("--validation")
        {
            Description = "How the teacher scores its validation beats to choose the epoch it keeps. 'authors' (default): as the BeatGAN " +
                          "authors' code does, BatchNorm in training mode on shuffled batches of the batch size; 'eval': evaluation mode, as " +
                          "at test time.",
            DefaultValueFactory = _ => "authors",
        };
        validation.Validators.Add(r =>
        {
            string value = r.GetValueOrDefault<string>() ?? "";
            if (value is not ("authors" or "eval")) r.AddError($"--validation must be 'authors' or 'eval', got '{value}'.");
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
            DefaultValueFactory = _ => new DirectoryInfo(CommonOptions.DefaultOutputFolder),
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
            data, cache, folds, maxTrain, seeds, teacherEpochs, studentEpochs, batchSize, learningRate, methods, teachersOnly, tune,
            teacherFile, teacherDiscriminatorFile, output, checkpoint, teacherSeed, validation, saveTeachers, scores,
        };
        mitbihOptions.AddTo(beatgan);
        beatgan.Validators.Add(r =>
        {
            if ((r.GetValue(teacherFile) is null) != (r.GetValue(teacherDiscriminatorFile) is null))
                r.AddError("--teacher and --teacher-discriminator go together: the d-at term and the students' setup need both networks.");
            if (r.GetValue(teachersOnly) && r.GetResult(methods) is { Implicit: false })
                r.AddError("--teachers-only trains no student; pass --method or --teachers-only, not both.");
            if (r.GetValue(teacherFile) is not null && r.GetResult(teacherEpochs) is { Implicit: false })
                r.AddError("--teacher-epochs applies to a teacher trained here; with --teacher the teacher is loaded, not trained: drop --teacher-epochs.");
            if (r.GetValue(data) != "mitbih")
                foreach (var option in new Option[] { mitbihOptions.Records, mitbihOptions.Segmentation, folds, maxTrain })
                    if (r.GetResult(option) is { Implicit: false })
                        r.AddError($"{option.Name} applies to --data mitbih only.");
        });
        CliOptions.Renamed(beatgan, "--output", "--out");
        CliOptions.Renamed(beatgan, "--students", "--method",
            "the specs of 'distill --method', where 'none' is the student without distillation; for the teachers alone " +
            "('--students none' before) pass --teachers-only");
        beatgan.SetAction(parse => Failures.Guard(terminal, () =>
        {
            string outputFolder = OutputFolder.Probe(parse.GetValue(output)!.FullName, "--out");
            string? checkpointFolder = parse.GetValue(checkpoint) is { } dir ? OutputFolder.Probe(dir.FullName, "--checkpoint") : null;
            using var folderLock = checkpointFolder is null ? null : CheckpointLock.Acquire(checkpointFolder);
            bool mitbih = parse.GetValue(data) == "mitbih";
            int seedCount = parse.GetValue(seeds);
            int teacherE = parse.GetValue(teacherEpochs) ?? (mitbih ? 20 : 30), studentE = parse.GetValue(studentEpochs) ?? (mitbih ? 20 : 100);
            var config = mitbih ? BeatGanKdConfig.MitBih(seedCount, teacherE, studentE) : BeatGanKdConfig.Default(seedCount, teacherE, studentE);
            config = config with
            {
                BatchSize = parse.GetValue(batchSize) ?? config.BatchSize,
                LearningRate = parse.GetValue(learningRate) ?? config.LearningRate,
                Students = parse.GetValue(methods) is { Length: > 0 } specs
                    ? specs.Where(r => r != SpecGrammar.None).Select(BeatGanKdStudent.Parse).ToArray() : config.Students,
                TeacherOnly = parse.GetValue(teachersOnly),
                TeacherSeed = parse.GetValue(teacherSeed),
                Validation = parse.GetValue(validation) == "eval" ? BeatGanValidation.EvaluationMode : BeatGanValidation.TrainingModeBatches,
            };
            var splits = mitbih ? MitBihFolds(mitbihOptions.Source(parse, parse.GetValue(cache)!), mitbihOptions, parse, parse.GetValue(folds)!, parse.GetValue(maxTrain), console)
                                : [(0, BeatGanKdData.Load(DistillDevice.Current))];
            var clock = Stopwatch.StartNew();
            var runs = new List<BeatGanKdRun>();
            var log = new BeatGanRunLog(parse.GetValue(data)!, parse.GetValue(scores));
            var (generatorFile, discriminatorFile) = (parse.GetValue(teacherFile), parse.GetValue(teacherDiscriminatorFile));
            string settings = Settings(mitbih, parse.GetValue(mitbihOptions.Records), parse.GetValue(maxTrain), generatorFile, discriminatorFile);
            foreach (var (fold, beats) in splits)
            {
                console.WriteLine(beats.Description);
                var foldConfig = parse.GetValue(tune) ? Tuned(config, beats, console) : config;
                console.WriteLine($"batch {foldConfig.BatchSize}, lr {foldConfig.LearningRate}, " +
                                  (foldConfig.TeacherOnly ? "teachers only (--teachers-only)"
                                      : $"students: none (the baseline){string.Concat(foldConfig.Students.Select(s => $"; {s}"))}"));
                IReadOnlyList<BeatGanKdRun> foldRuns;
                try
                {
                    foldRuns = BeatGanKdExperiment.Run(foldConfig, beats, line => console.WriteLine(line), fold,
                        generatorFile is null ? null : _ => LoadTeacher(generatorFile, discriminatorFile!, foldConfig), checkpointFolder, settings,
                        terminal.Stop.Token, parse.GetValue(saveTeachers) ? Path.Combine(outputFolder, "teachers") : null);
                }
                catch (OperationCanceledException) when (terminal.Stop.Signal is not null)
                {
                    throw new StoppedException(Stopped(checkpointFolder));
                }
                runs.AddRange(foldRuns);
                log.Add(foldConfig, beats, foldRuns, teacherTrainedHere: generatorFile is null);
            }
            console.WriteLine(ResultSummary.ToMarkdown(BeatGanKdExperiment.Summarise(runs)));
            var (csv, json, history) = log.Write(outputFolder);
            console.WriteLine($"{runs.Count} models in {clock.Elapsed.TotalSeconds:F0} s; runs written to {csv} and {json}, teacher epochs to {history}");
            return ExitCode.Success;
        }));
        return new Command("reproduce", "Reproduce a documented experiment end to end.") { beatgan };
    }

    /// <summary>What the checkpoints depend on beyond the data's description and the trainers' own settings: the records and
    /// subsampling asked for, and which teacher the students learn from.</summary>
    private static string Settings(bool mitbih, string[]? records, int? maxTrainBeats, FileInfo? generator, FileInfo? discriminator)
    {
        string data = mitbih
            ? $"records {(records is { Length: > 0 } ? string.Join(" ", records) : "all non-paced")}, max train beats {maxTrainBeats?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "all"}"
            : "embedded demo beats";
        string teacher = generator is null ? "teacher trained here"
            : $"teacher from files sha256 {CommonOptions.Fingerprint(generator)} and {CommonOptions.Fingerprint(discriminator!)}";
        return $"{data}; {teacher}";
    }

    // Every model's checkpoint keeps its last completed epoch; the newest file is the model that was training.
    private static string Stopped(string? checkpointFolder)
    {
        if (checkpointFolder is null) return "stopped; nothing was kept (pass --checkpoint DIR to be able to resume).";
        var newest = new DirectoryInfo(checkpointFolder).EnumerateFiles("*.ckpt").MaxBy(f => f.LastWriteTimeUtc);
        return newest is null
            ? "stopped before the first epoch completed; rerun the same command to start again."
            : $"stopped after epoch {Checkpoint.ReadEpoch(newest.FullName)} of {Path.GetFileNameWithoutExtension(newest.Name)}; " +
              "rerun the same command to resume.";
    }

    private static IEnumerable<(int Fold, BeatGanKdData Data)> MitBihFolds(
        MitBihSource source, MitBihOptions options, ParseResult parse, int[] folds, int? maxTrainBeats, IAnsiConsole console)
    {
        if (!source.IsEmbedded) MitBihChecksums.Require(source.Folder, source.Records);
        string description = $"{source.Description} Segmentation: {parse.GetValue(options.Segmentation)}.";
        console.WriteLine($"{description} Files match PhysioNet's SHA-256 sums. Segmenting...");
        IReadOnlyList<EcgBeat> beats;
        try { beats = source.Segment(options.SegmentationOptions(parse), new SegmentationProgress(console)).Beats; }
        catch (ArgumentException error) { throw new InvalidDataException(error.Message, error); } // e.g. a record at another sampling rate
        foreach (int fold in folds)
        {
            BeatGanKdData split;
            try { split = BeatGanKdData.FromBeats(beats, fold, description, maxTrainBeats: maxTrainBeats, device: DistillDevice.Current); }
            catch (ArgumentException error) { throw new InvalidDataException(error.Message, error); }
            yield return (fold, split);
        }
    }

    private static (BeatGanGenerator, BeatGanDiscriminator) LoadTeacher(FileInfo generator, FileInfo discriminator, BeatGanKdConfig config)
    {
        foreach (var file in new[] { generator, discriminator })
            if (!file.Exists) throw new FileNotFoundException($"The teacher file '{file.FullName}' does not exist.", file.FullName);
        var g = BeatGanPyTorch.LoadGenerator(generator.FullName, config.Teacher, DistillDevice.Current);
        try { return (g, BeatGanPyTorch.LoadDiscriminator(discriminator.FullName, config.Teacher, DistillDevice.Current)); }
        catch { g.Dispose(); throw; }
    }

    private static BeatGanKdConfig Tuned(BeatGanKdConfig config, BeatGanKdData data, IAnsiConsole console)
    {
        var tunings = BeatGanKdWeightTuning.Tune(config, data, log: line => console.WriteLine(line));
        return config with { Students = tunings.Select(t => t.Chosen).ToArray() };
    }

}
