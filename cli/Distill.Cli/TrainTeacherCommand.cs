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
    /// <summary>Builds the command; its output goes to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var common = new CommonOptions();
        var widths = CommonOptions.PositiveWidths(new Option<int[]>("--widths")
        {
            Description = "Hidden widths of the teacher, e.g. --widths 64 32 (input width 30 is implied by the data).",
            DefaultValueFactory = _ => [64, 32],
        });
        var seed = new Option<int>("--seed") { Description = "Seed of initialisation and batch order.", DefaultValueFactory = _ => 0 };
        var output = new Option<FileInfo>("--output")
        {
            Description = "Where the trained teacher is saved: a PyTorch state_dict (.pt) in the CRD walkthrough's layout " +
                          "(Layer_List.i.linear.0/1, classifier.0), loadable with torch.load and by 'distill distill --teacher'.",
            DefaultValueFactory = _ => new FileInfo("teacher.pt"),
        };
        var checkpoint = new Option<FileInfo?>("--checkpoint")
        {
            Description = "Checkpoint file written atomically after every epoch; when it exists the run resumes from it.",
        };
        var command = new Command("train-teacher", "Train the teacher MLP on all 30 breast cancer features and save it for PyTorch and 'distill distill'.");
        common.AddTo(command);
        command.Options.Add(widths);
        command.Options.Add(seed);
        command.Options.Add(output);
        command.Options.Add(checkpoint);
        command.SetAction(parse => Failures.Guard(console, () =>
        {
            var data = common.LoadData(parse);
            var options = common.Training(parse);
            int runSeed = parse.GetValue(seed);
            var checkpoints = parse.GetValue(checkpoint) is { } file ? new CheckpointOptions(file.FullName) : null;
            var clock = Stopwatch.StartNew();
            Reproducibility.Seed(runSeed);
            var task = ClassificationTask.For(data.ClassCount);
            var teacher = new Mlp([data.TeacherView.Columns.Count, .. parse.GetValue(widths)!], task.OutputCount, "teacher");
            var objective = new ClassifierObjective(teacher, task, InputView.Teacher);
            var result = new SupervisedTrainer(options, checkpoints)
                .Fit(objective, data.Train, data.Validation, runSeed, Reports.Epochs(console, "teacher", parse.GetValue(common.Quiet)));
            var test = objective.Evaluate(data.Test);
            var path = parse.GetValue(output)!.FullName;
            teacher.SavePyTorch(path, PyTorchLayouts.CrdWalkthroughAnn(teacher));
            var run = new RunRecord("train-teacher", "teacher", runSeed, parse.GetValue(common.DataSeed), teacher.Widths, options.Epochs,
                                    result.History.Count, result.BestEpoch, options.BatchSize, options.LearningRate, null, test.Metrics,
                                    clock.Elapsed.TotalSeconds);
            Reports.Finish(console, [run], parse.GetValue(common.Output)!.FullName);
            console.MarkupLine($"teacher saved to [green]{Markup.Escape(path)}[/]");
            return ExitCode.Success;
        }));
        return command;
    }
}
