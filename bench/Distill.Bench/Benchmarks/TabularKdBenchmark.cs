using System.Diagnostics;
using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Models;
using Distill.Training;
using Distill.Runtime;
using TorchSharp;

namespace Distill.Bench.Benchmarks;

/// <summary>The tables of notebooks 02 and 03: student test metrics per distillation method, mean ± std over seeds.</summary>
/// <remarks>
/// Breast cancer: the privileged teacher reads all 30 features, the student the 10 means; logit methods (None, KD, negative
/// soft-target CE, DKD) and the six feature methods, each with its default weight from <see cref="MlpDistillation"/>, then the
/// six feature methods again at balanced weights (the defaults were tuned for CIFAR CNNs and swamp the task here).
/// Digits: teacher and a small student (one hidden layer of 16 units) both read the 8×8 image; the logit methods. The data split and the
/// teacher are fixed; the seeds change the student's initialisation and batch order. Arguments: <c>seeds N</c>,
/// <c>epochs E</c> (defaults 5 and the notebooks' full profile). LibTorch's intra-op threads are limited to one: these
/// networks are far too small to gain from threads, and on a shared machine extra threads only contend (about 10× slower
/// on a loaded 2-core machine).
/// </remarks>
public sealed class TabularKdBenchmark : IBenchmark
{
    private static readonly DistillationMethod[] LogitMethods =
        [DistillationMethod.None, DistillationMethod.Kd, DistillationMethod.NegativeCrossEntropy, DistillationMethod.Dkd];

    private static readonly DistillationMethod[] FeatureMethods =
    [
        DistillationMethod.FitNet, DistillationMethod.AttentionTransfer, DistillationMethod.Overhaul,
        DistillationMethod.SimilarityPreserving, DistillationMethod.Relational, DistillationMethod.ProbabilisticTransfer,
    ];

    // Weights that make each weighted term about 0.5 in the first epoch (task loss about 0.8), measured on this teacher;
    // RepDistiller's defaults (MlpDistillation) make FitNet, AT, SP, PKT and RKD swamp the task on these MLPs.
    private static readonly Dictionary<DistillationMethod, double> BalancedWeights = new()
    {
        [DistillationMethod.FitNet] = 1, [DistillationMethod.AttentionTransfer] = 5, [DistillationMethod.Overhaul] = 1,
        [DistillationMethod.SimilarityPreserving] = 20, [DistillationMethod.Relational] = 0.1, [DistillationMethod.ProbabilisticTransfer] = 500,
    };

    /// <inheritdoc />
    public string Name => "tabular-kd";

    /// <inheritdoc />
    public string Description => "Student test AUC/F1 (breast cancer) and accuracy (digits) per KD method, mean ± std over seeds";

    /// <inheritdoc />
    public void Run(string[] args)
    {
        torch.set_num_threads(1);
        int seeds = BenchArguments.Int(args, "seeds", 5, minimum: 1);
        int epochs = BenchArguments.Int(args, "epochs", 150, minimum: 1);
        var options = new TrainingOptions(Epochs: epochs, BatchSize: 64, LearningRate: 1e-3);
        int[] seedList = Enumerable.Range(1, seeds).ToArray();

        var cancer = TeacherStudentData.BreastCancer(seed: 0, device: DistillDevice.Current);
        var cancerTeacher = Teacher("breast cancer: teacher [30, 256, 1024, 256] on all 30 features, student [10, 32, 16] on the 10 means",
                                    cancer, [256, 1024, 256], options, ["auc", "f1", "ap"]);
        Table("default weights (MlpDistillation)", ["auc", "f1", "ap"], progress => TabularDistillation.CompareMethods(
            cancer, cancerTeacher, [.. LogitMethods, .. FeatureMethods], [32, 16], options, seedList, progress));
        Table("feature methods at balanced weights (weighted term about 0.5 in the first epoch)", ["auc", "f1", "ap"],
              progress => FeatureMethods.SelectMany(method => seedList.Select(seed =>
        {
            var run = TabularDistillation.TrainStudent(cancer, cancerTeacher, method, [32, 16], options, seed, weight: BalancedWeights[method]);
            progress.Report(run);
            return run;
        })).ToList());

        var digits = TeacherStudentData.Create(UciTables.Digits(), DigitsViews.AllPixels, DigitsViews.AllPixels, new SplitFractions(), seed: 0, DistillDevice.Current);
        var digitsTeacher = Teacher("digits: teacher [64, 256, 128], student [64, 16], both on the 8x8 pixels",
                                    digits, [256, 128], options, ["accuracy"]);
        Table("default weights (MlpDistillation)", ["accuracy"], progress => TabularDistillation.CompareMethods(
            digits, digitsTeacher, LogitMethods, [16], options, seedList, progress));
    }

    private static Mlp Teacher(string title, TeacherStudentData data, int[] widths, TrainingOptions options, string[] metrics)
    {
        Console.WriteLine($"\n### {title}");
        var clock = Stopwatch.StartNew();
        var (teacher, result) = TabularDistillation.TrainTeacher(data, widths, options, seed: 0);
        var test = new ClassifierObjective(teacher, ClassificationTask.For(data.ClassCount), InputView.Teacher).Evaluate(data.Test);
        Console.WriteLine($"teacher: kept epoch {result.BestEpoch} of {result.History.Count}, test " +
                          $"{string.Join(", ", metrics.Select(m => $"{m} {test.Metrics[m]:F4}"))} ({clock.Elapsed.TotalSeconds:F0} s)");
        return teacher;
    }

    private static void Table(string title, string[] metrics, Func<IProgress<StudentRun>, IReadOnlyList<StudentRun>> train)
    {
        var clock = Stopwatch.StartNew();
        var runs = train(new SyncProgress<StudentRun>(r => Console.Error.WriteLine(
            $"  {r.Method} seed {r.Seed}: {string.Join(", ", metrics.Select(m => $"{m} {r.Test.Metrics[m]:F4}"))}, " +
            $"kept epoch {r.Training.BestEpoch} of {r.Training.History.Count} ({clock.Elapsed.TotalSeconds:F0} s)")));
        Console.WriteLine($"\n{title}:\n");
        Console.WriteLine(ResultSummary.ToMarkdown(ResultSummary.ByMethod(runs, metrics)));
        Console.WriteLine($"({runs.Count} students in {clock.Elapsed.TotalSeconds:F0} s)");
    }
}
