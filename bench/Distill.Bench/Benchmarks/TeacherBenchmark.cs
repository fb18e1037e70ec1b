using System.Diagnostics;
using Distill.Data.Tabular;
using Distill.Training;
using Distill.Runtime;

namespace Distill.Bench.Benchmarks;

/// <summary>Trains the seed's breast-cancer teacher ([30, 256, 1024, 256]) over several seeds and prints test metrics,
/// training speed and process memory before and after.</summary>
public sealed class TeacherBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "teacher";

    /// <inheritdoc />
    public string Description => "breast-cancer teacher [30,256,1024,256]: test ROC AUC/AP/F1 over seeds, epochs/s, RSS";

    /// <inheritdoc />
    public void Run(string[] args)
    {
        int seeds = args.Length > 0 ? int.Parse(args[0]) : 5;
        var data = TeacherStudentData.BreastCancer(seed: 0, device: DistillDevice.Current);
        var options = new TrainingOptions(Epochs: 150, BatchSize: 64, LearningRate: 1e-3);
        long rssBefore = Process.GetCurrentProcess().WorkingSet64;
        var runs = new List<(double Auc, double Ap, double F1, int Epochs, double Seconds)>();
        for (int seed = 0; seed < seeds; seed++)
        {
            var clock = Stopwatch.StartNew();
            var (teacher, result) = TabularDistillation.TrainTeacher(data, [256, 1024, 256], options, seed);
            var test = new ClassifierObjective(teacher, ClassificationTask.For(2), InputView.Teacher).Evaluate(data.Test);
            runs.Add((test.Metrics["auc"], test.Metrics["ap"], test.Metrics["f1"], result.History.Count, clock.Elapsed.TotalSeconds));
            Console.WriteLine($"seed {seed}: test AUC {test.Metrics["auc"]:F4}  AP {test.Metrics["ap"]:F4}  F1@0.5 {test.Metrics["f1"]:F4}  " +
                              $"kept epoch {result.BestEpoch}/{result.History.Count}  {result.History.Count / clock.Elapsed.TotalSeconds:F1} epochs/s");
            teacher.Dispose();
        }
        GC.Collect();
        long rssAfter = Process.GetCurrentProcess().WorkingSet64;
        Console.WriteLine($"mean test AUC {MeanStd.Of(runs.Select(r => r.Auc).ToArray())}, AP {MeanStd.Of(runs.Select(r => r.Ap).ToArray())}, " +
                          $"F1 {MeanStd.Of(runs.Select(r => r.F1).ToArray())}");
        Console.WriteLine($"RSS before {rssBefore / 1048576} MiB, after {rssAfter / 1048576} MiB");
    }
}
