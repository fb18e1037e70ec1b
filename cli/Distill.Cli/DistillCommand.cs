using System.CommandLine;
using System.Diagnostics;
using Distill.Distillation;
using Distill.Interop;
using Distill.Models;
using Distill.Runtime;
using Distill.Training;
using Spectre.Console;

namespace Distill.Cli;

/// <summary><c>distill distill</c>: trains students with each method over several seeds and tabulates their test metrics.</summary>
public static class DistillCommand
{
    /// <summary>Builds the command; its output goes to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var common = new CommonOptions();
        var methods = new Option<DistillationMethod[]>("--method")
        {
            Description = "Distillation method(s), e.g. --method none kd: " + string.Join(", ", Enum.GetNames<DistillationMethod>().Select(n => n.ToLowerInvariant())) +
                          " (none = the student from labels alone, the baseline).",
            DefaultValueFactory = _ => [DistillationMethod.Kd],
            AllowMultipleArgumentsPerToken = true,
            CustomParser = ParseMethods,
        };
        var seeds = new Option<int>("--seeds") { Description = "Number of student seeds per method (seeds first-seed .. first-seed + N - 1); results are mean ± std over them.", DefaultValueFactory = _ => 5 };
        seeds.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError($"--seeds must be at least 1, got {r.GetValueOrDefault<int>()}."); });
        var firstSeed = new Option<int>("--first-seed") { Description = "First student seed.", DefaultValueFactory = _ => 0 };
        var studentWidths = CommonOptions.PositiveWidths(new Option<int[]>("--student-widths")
        {
            Description = "Hidden widths of the student, which reads the 10 'mean' features.",
            DefaultValueFactory = _ => [8],
        });
        var teacherFile = new Option<FileInfo?>("--teacher")
        {
            Description = "Teacher weights from 'distill train-teacher' or PyTorch (state_dict in the CRD walkthrough layout). " +
                          "When absent, a teacher is trained first with --teacher-widths and the same training options.",
        };
        var teacherWidths = CommonOptions.PositiveWidths(new Option<int[]>("--teacher-widths")
        {
            Description = "Hidden widths of the teacher (must match --teacher's file).",
            DefaultValueFactory = _ => [64, 32],
        });
        var weight = new Option<double?>("--weight") { Description = "Weight of the distillation term; default: the method's RepDistiller weight." };
        var command = new Command("distill", "Train students with the chosen distillation methods over several seeds and compare their test metrics.");
        common.AddTo(command);
        foreach (var option in new Option[] { methods, seeds, firstSeed, studentWidths, teacherFile, teacherWidths, weight })
            command.Options.Add(option);
        command.SetAction(parse => Failures.Guard(console, () =>
        {
            var data = common.LoadData(parse);
            var options = common.Training(parse);
            bool quiet = parse.GetValue(common.Quiet);
            int dataSeed = parse.GetValue(common.DataSeed);
            var task = ClassificationTask.For(data.ClassCount);
            var teacher = new Mlp([data.TeacherView.Columns.Count, .. parse.GetValue(teacherWidths)!], task.OutputCount, "teacher");
            if (parse.GetValue(teacherFile) is { } file)
                teacher.LoadPyTorch(file.FullName, PyTorchLayouts.CrdWalkthroughAnn(teacher));
            else
            {
                Reproducibility.Seed(0);
                new SupervisedTrainer(options).Fit(new ClassifierObjective(teacher, task, InputView.Teacher), data.Train, data.Validation, 0,
                                                   Reports.Epochs(console, "teacher", quiet));
            }
            teacher.eval();
            var runs = new List<RunRecord>();
            int[] seedList = Enumerable.Range(parse.GetValue(firstSeed), parse.GetValue(seeds)).ToArray();
            double? termWeight = parse.GetValue(weight);
            foreach (var method in parse.GetValue(methods)!.Distinct())
                foreach (int seed in seedList)
                {
                    var clock = Stopwatch.StartNew();
                    var run = TabularDistillation.TrainStudent(data, teacher, method, parse.GetValue(studentWidths)!, options, seed, termWeight,
                                                               Reports.Epochs(console, $"{method} seed {seed}", quiet));
                    var record = new RunRecord("distill", method.ToString(), seed, dataSeed,
                                               [data.StudentView.Columns.Count, .. parse.GetValue(studentWidths)!], options.Epochs,
                                               run.Training.History.Count, run.Training.BestEpoch, options.BatchSize, options.LearningRate,
                                               method == DistillationMethod.None ? null : termWeight ?? MlpDistillation.DefaultWeight(method),
                                               run.Test.Metrics, clock.Elapsed.TotalSeconds);
                    runs.Add(record);
                    Reports.RunFinished(console, record, runs.Count, seedList.Length * parse.GetValue(methods)!.Distinct().Count());
                }
            Reports.Finish(console, runs, parse.GetValue(common.Output)!.FullName);
            return ExitCode.Success;
        }));
        return command;
    }

    private static DistillationMethod[] ParseMethods(System.CommandLine.Parsing.ArgumentResult result)
    {
        var methods = new List<DistillationMethod>();
        foreach (var token in result.Tokens)
        {
            if (Enum.TryParse<DistillationMethod>(token.Value, ignoreCase: true, out var method) && Enum.IsDefined(method)) methods.Add(method);
            else result.AddError($"Unknown method '{token.Value}' for --method; choose from: " +
                                 string.Join(", ", Enum.GetNames<DistillationMethod>().Select(n => n.ToLowerInvariant())) + ".");
        }
        return methods.ToArray();
    }
}
