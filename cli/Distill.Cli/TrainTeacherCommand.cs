using System.CommandLine;
using System.Diagnostics;
using Distill.Interop;
using Distill.Models;
using Distill.Runtime;
using Distill.Training;
using Distill.Training.Checkpoints;
using Spectre.Console;

namespace Distill.Cli;

/// <summary><c>distill train-teacher</c>: trains the privileged teacher MLP on breast cancer and saves it as a PyTorch state_dict.</summary>
public static class TrainTeacherCommand
{
    /// <summary>The teacher's file in the <c>--out</c> folder.</summary>
    public const string TeacherFile = "teacher.pt";

    /// <summary>The teacher's checkpoint in the <c>--checkpoint</c> folder.</summary>
    public const string CheckpointFile = "teacher.ckpt";

    /// <summary>Builds the command; its output goes to <paramref name="terminal"/>.</summary>
    public static Command Create(Terminal terminal)
    {
        var console = terminal.Out;
        var common = new CommonOptions();
        var widths = CommonOptions.Widths("--widths", "Hidden widths of the teacher, e.g. --widths 64 32 (input width 30 is implied by the data).", [64, 32]);
        var seed = CliOptions.Integer("--seed", "Seed of initialisation and batch order.", 0, 0);
        var checkpoint = new Option<DirectoryInfo?>("--checkpoint")
        {
            Description = $"Folder of the resumable checkpoint {CheckpointFile}, replaced atomically after every epoch; a rerun with the same " +
                          "options resumes from it (a checkpoint written with other options is refused: use another folder).",
        };
        var command = new Command("train-teacher",
            $"Train the teacher MLP on all 30 breast cancer features and save it as {TeacherFile} in the --out folder, for PyTorch and 'distill distill'.");
        common.AddTo(command);
        command.Options.Add(widths);
        command.Options.Add(seed);
        command.Options.Add(checkpoint);
        CliOptions.Renamed(command, "--output", "--out", $"the teacher is saved as {TeacherFile} in the --out folder, next to runs.csv");
        command.SetAction(parse => Failures.Guard(terminal, () =>
        {
            string output = OutputFolder.Probe(parse.GetValue(common.Output)!.FullName, "--out");
            string? folder = CheckpointFolder(parse.GetValue(checkpoint));
            using var folderLock = folder is null ? null : CheckpointLock.Acquire(folder);
            var data = common.LoadData(parse);
            var options = common.Training(parse);
            int runSeed = parse.GetValue(seed);
            int[] hidden = parse.GetValue(widths)!;
            var checkpoints = folder is null ? null
                : new CheckpointOptions(Path.Combine(folder, CheckpointFile), Settings: Settings(hidden, runSeed, common.Settings(parse)));
            var clock = Stopwatch.StartNew();
            Reproducibility.Seed(runSeed);
            var task = ClassificationTask.For(data.ClassCount);
            var teacher = new Mlp([data.TeacherView.Columns.Count, .. hidden], task.OutputCount, "teacher", data.Train.TeacherInput.device);
            var objective = new ClassifierObjective(teacher, task, InputView.Teacher);
            var result = new SupervisedTrainer(options, checkpoints)
                .Fit(objective, data.Train, data.Validation, runSeed, Reports.Epochs(console, "teacher", parse.GetValue(common.Quiet)), terminal.Stop.Token);
            terminal.Stop.ThrowIfRequested(Reports.StoppedAt("the teacher", result.History.Count, checkpoints));
            var test = objective.Evaluate(data.Test);
            var path = Path.Combine(output, TeacherFile);
            teacher.SavePyTorch(path, PyTorchLayouts.CrdWalkthroughAnn(teacher));
            var run = new RunRecord("train-teacher", "teacher", runSeed, parse.GetValue(common.DataSeed), teacher.Widths, options.Epochs,
                                    result.History.Count, result.BestEpoch, options.BatchSize, options.LearningRate, null, "", test.Metrics,
                                    clock.Elapsed.TotalSeconds);
            Reports.Finish(console, [run], output);
            console.MarkupLine($"teacher saved to [green]{Markup.Escape(path)}[/]");
            return ExitCode.Success;
        }));
        return command;
    }

    /// <summary>Everything the teacher's checkpoint depends on, in words: widths, seed, data and training options. A rerun
    /// with other settings is refused naming both.</summary>
    public static string Settings(IReadOnlyList<int> hiddenWidths, int seed, string common)
        => $"teacher widths [{string.Join(", ", hiddenWidths)}], seed {seed}; {common}";

    /// <summary>The <c>--checkpoint</c> folder, probed; a path to a file (the option named a file in train-teacher before)
    /// is a usage error.</summary>
    public static string? CheckpointFolder(DirectoryInfo? folder)
    {
        if (folder is null) return null;
        if (File.Exists(folder.FullName) || folder.FullName.EndsWith(".ckpt", StringComparison.Ordinal))
            throw new UsageException($"--checkpoint takes a folder (it took a file in train-teacher before), got '{folder.FullName}'. " +
                                     $"Pass a folder: the teacher's checkpoint is {CheckpointFile} inside it.");
        return OutputFolder.Probe(folder.FullName, "--checkpoint");
    }
}
