using System.CommandLine;
using System.Diagnostics;
using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Interop;
using Distill.Models;
using Distill.Runtime;
using Distill.Training;
using Distill.Training.Checkpoints;
using Spectre.Console;

namespace Distill.Cli;

/// <summary><c>distill distill</c>: trains students with each method over several seeds and tabulates their test metrics.</summary>
public static class DistillCommand
{
    /// <summary>Builds the command; its output goes to <paramref name="terminal"/>.</summary>
    public static Command Create(Terminal terminal)
    {
        var console = terminal.Out;
        var common = new CommonOptions();
        var methods = new Option<string[]>("--method")
        {
            HelpName = "spec",
            Description = "Distillation methods, one student per spec, e.g. --method none kd 'kd+fitnet=100' crd+kd: method names joined by '+', " +
                          "each with an optional '=weight' (default: the method's RepDistiller weight); 'none' is the student from labels " +
                          $"alone, the baseline. Methods: {string.Join(", ", MlpDistillation.Methods.Select(m => m.Name))} (their papers and default " +
                          "weights: README, 'Distillation methods and how to combine them').",
            DefaultValueFactory = _ => ["kd"],
            AllowMultipleArgumentsPerToken = true,
        };
        var seeds = CliOptions.Integer("--seeds", "Number of student seeds per method (seeds first-seed .. first-seed + N - 1); results are mean ± std over them.",
                                       5, 1, CliOptions.MaxSeeds);
        var firstSeed = CliOptions.Integer("--first-seed", "First student seed.", 0, 0, int.MaxValue - CliOptions.MaxSeeds);
        var studentWidths = CommonOptions.Widths("--student-widths", "Hidden widths of the student, which reads the 10 'mean' features.", [8]);
        var teacherFile = new Option<FileInfo?>("--teacher")
        {
            Description = "Teacher weights from 'distill train-teacher' or PyTorch (state_dict in the CRD walkthrough layout). " +
                          "When absent, a teacher is trained first with --teacher-widths and the same training options.",
        };
        var teacherWidths = CommonOptions.Widths("--teacher-widths", "Hidden widths of the teacher (must match --teacher's file).", [64, 32]);
        var weight = CliOptions.OptionalNumber("--weight", "Weight of the distillation term of every one-method spec without '=weight' (>= 0); " +
                                               "not with specs that combine methods or give their own weight.", positive: false);
        var checkpoints = new Option<DirectoryInfo?>("--checkpoint")
        {
            Description = "Folder of resumable checkpoints, one file per run: METHOD-seedN.ckpt, METHOD the spec's name (kd-seed0.ckpt, crd+kd-seed0.ckpt, kd=2-seed0.ckpt) (and teacher.ckpt when the teacher is trained here), " +
                          "each replaced atomically after every epoch with the student, the loss's state (CRD's memory banks and Z), Adam, " +
                          "the schedule and the random generators. After an interruption, rerun the same command with the same folder: " +
                          "unfinished runs resume after their last saved epoch and end as if never stopped, finished runs are evaluated " +
                          "from their kept weights without training, and a line (also with --quiet) says which run resumes from which epoch. " +
                          "A file written with other settings (methods and weights, widths, teacher, data, training options) is refused " +
                          "with exit code 3: use another folder for other settings.",
        };
        var command = new Command("distill", "Train students with the chosen distillation methods over several seeds and compare their test metrics.");
        common.AddTo(command);
        foreach (var option in new Option[] { methods, seeds, firstSeed, studentWidths, teacherFile, teacherWidths, weight, checkpoints })
            command.Options.Add(option);
        command.Validators.Add(r =>
        {
            double? termWeight;
            try { termWeight = r.GetValue(weight); }
            catch (InvalidOperationException) { termWeight = null; } // a --weight that failed to parse has its own error
            foreach (string spec in r.GetValue(methods) ?? [])
                try
                {
                    MethodSpec.Parse(spec);
                    try { MethodSpec.Parse(spec, termWeight); }
                    catch (FormatException error) { r.AddError($"--weight: {error.Message}"); }
                }
                catch (FormatException error) { r.AddError($"--method: {error.Message}"); }
        });
        CliOptions.Renamed(command, "--output", "--out");
        command.SetAction(parse => Failures.Guard(terminal, () =>
        {
            string output = OutputFolder.Probe(parse.GetValue(common.Output)!.FullName, "--out");
            string? folder = parse.GetValue(checkpoints) is { } dir ? OutputFolder.Probe(dir.FullName, "--checkpoint") : null;
            using var folderLock = folder is null ? null : CheckpointLock.Acquire(folder);
            var data = common.LoadData(parse);
            var options = common.Training(parse);
            bool quiet = parse.GetValue(common.Quiet);
            int dataSeed = parse.GetValue(common.DataSeed);
            var task = ClassificationTask.For(data.ClassCount);
            string settings = common.Settings(parse);
            var specs = parse.GetValue(methods)!.Select(spec => MethodSpec.Parse(spec, parse.GetValue(weight))).DistinctBy(spec => spec.ToString()).ToArray();
            RequireDefined(specs, data, parse.GetValue(teacherWidths)!, parse.GetValue(studentWidths)!);
            Reproducibility.Seed(0); // a teacher trained here starts as 'train-teacher --seed 0' does
            var teacher = new Mlp([data.TeacherView.Columns.Count, .. parse.GetValue(teacherWidths)!], task.OutputCount, "teacher", data.Train.TeacherInput.device);
            string teacherSettings = $"teacher widths [{string.Join(", ", teacher.Widths)}]";
            if (parse.GetValue(teacherFile) is { } file)
            {
                if (!file.Exists) throw new FileNotFoundException($"The teacher file '{file.FullName}' does not exist.", file.FullName);
                teacher.LoadPyTorch(file.FullName, PyTorchLayouts.CrdWalkthroughAnn(teacher));
                teacherSettings += $" from file sha256 {CommonOptions.Fingerprint(file)}";
            }
            else
            {
                teacherSettings += " trained here (seed 0)";
                // The settings of 'train-teacher --seed 0': one checkpoint folder serves both commands.
                var checkpoint = folder is null ? null : new CheckpointOptions(Path.Combine(folder, TrainTeacherCommand.CheckpointFile),
                    Settings: TrainTeacherCommand.Settings(parse.GetValue(teacherWidths)!, 0, settings));
                Announce(console, "teacher", checkpoint, options, quiet);
                var trained = new SupervisedTrainer(options, checkpoint).Fit(new ClassifierObjective(teacher, task, InputView.Teacher), data.Train,
                                                                           data.Validation, 0, Reports.Epochs(console, "teacher", quiet), terminal.Stop.Token);
                terminal.Stop.ThrowIfRequested(Reports.StoppedAt("the teacher", trained.History.Count, checkpoint));
            }
            teacher.eval();
            var runs = new List<RunRecord>();
            int[] seedList = Enumerable.Range(parse.GetValue(firstSeed), parse.GetValue(seeds)).ToArray();
            int[] widths = [data.StudentView.Columns.Count, .. parse.GetValue(studentWidths)!];
            foreach (var spec in specs)
                foreach (int seed in seedList)
                {
                    var clock = Stopwatch.StartNew();
                    string run = $"{spec.Name} seed {seed}";
                    var checkpoint = folder is null ? null : new CheckpointOptions(Path.Combine(folder, $"{spec.Name}-seed{seed}.ckpt"),
                        Settings: $"student {spec}, widths [{string.Join(", ", widths)}]; {teacherSettings}; {settings}");
                    var earlier = Announce(console, run, checkpoint, options, quiet);
                    terminal.Stop.ThrowIfRequested(Reports.StoppedAt(run, 0, checkpoint));
                    var prepared = TabularDistillationCombined.Prepare(data, teacher, spec, parse.GetValue(studentWidths)!, seed);
                    var result = TabularDistillationCombined.Train(data, teacher, prepared, options, Reports.Epochs(console, run, quiet), checkpoint,
                                                                   terminal.Stop.Token);
                    terminal.Stop.ThrowIfRequested(Reports.StoppedAt(run, result.Training.History.Count, checkpoint));
                    var record = new RunRecord("distill", spec.Name, seed, dataSeed, widths, options.Epochs,
                                               result.Training.History.Count, result.Training.BestEpoch, options.BatchSize, options.LearningRate,
                                               spec.Terms.Count == 1 ? spec.Terms[0].Weight : null, spec.Terms.Count == 0 ? "" : spec.ToString(),
                                               result.Test.Metrics, (earlier + clock.Elapsed).TotalSeconds);
                    runs.Add(record);
                    Reports.RunFinished(console, record, runs.Count, seedList.Length * specs.Length);
                }
            Reports.Finish(console, runs, output);
            return ExitCode.Success;
        }));
        return command;
    }

    /// <summary>Builds every spec's terms once for untrained networks of the chosen widths, so that a method not defined for
    /// them (NST on MLP features, FSP with unequal last widths) is a usage error before anything trains. Every run reseeds, so
    /// the random numbers drawn here change no result.</summary>
    private static void RequireDefined(IEnumerable<MethodSpec> specs, TeacherStudentData data, int[] teacherWidths, int[] studentWidths)
    {
        var task = ClassificationTask.For(data.ClassCount);
        var pair = new MlpPair(new Mlp([data.StudentView.Columns.Count, .. studentWidths], task.OutputCount, "student", data.Train.StudentInput.device),
                               new Mlp([data.TeacherView.Columns.Count, .. teacherWidths], task.OutputCount, "teacher", data.Train.TeacherInput.device),
                               data.ClassCount, data.Train.TeacherInput, data.Train.Targets);
        foreach (var spec in specs)
            try { spec.Build(pair); }
            catch (NotSupportedException error) { throw new UsageException($"--method {spec.Name}: {error.Message}"); }
    }

    /// <summary>Says, before a run starts, what its checkpoint holds, so that no run is resumed or skipped silently; returns the
    /// training time the checkpoint already holds (a resumed run's wall time includes it).</summary>
    private static TimeSpan Announce(IAnsiConsole console, string run, CheckpointOptions? checkpoint, TrainingOptions options, bool quiet)
    {
        if (checkpoint is null) return TimeSpan.Zero;
        string file = Markup.Escape(checkpoint.Path);
        if (!File.Exists(checkpoint.Path))
        {
            if (!quiet) console.MarkupLine($"[grey]{Markup.Escape(run)}[/] starts at epoch 1, checkpoint [green]{file}[/]");
            return TimeSpan.Zero;
        }
        var state = SupervisedTrainer.ReadCheckpoint(checkpoint.Path);
        if (state.Settings != checkpoint.Settings) return TimeSpan.Zero; // the trainer refuses the file and says why
        console.MarkupLine(state.IsComplete(options)
            ? $"[yellow]{Markup.Escape(run)}[/] is complete in [green]{file}[/] ({state.Epoch} epochs, best epoch {state.BestEpoch}): its kept weights are evaluated without training"
            : $"[yellow]{Markup.Escape(run)}[/] resumes from [green]{file}[/] after epoch {state.Epoch} of {options.Epochs}");
        return state.History[^1].Elapsed;
    }

}
