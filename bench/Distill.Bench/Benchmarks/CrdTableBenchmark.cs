using System.Diagnostics;
using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Training;
using Distill.Runtime;
using TorchSharp;

namespace Distill.Bench.Benchmarks;

/// <summary>The results table of notebook 04: breast-cancer students trained with None, KD, CRD and CRD+KD, test ROC AUC,
/// AP and F1 as mean ± std over seeds.</summary>
/// <remarks>
/// Tian, Krishnan &amp; Isola, "Contrastive Representation Distillation", ICLR 2020. The full configuration of the notebook:
/// the privileged teacher [30, 256, 1024, 256] reads all 30 features (seed 0), the students [10, 32, 16] the 10 means;
/// 150 epochs at most, batch 64, Adam 1e-3, early stopping after 20 epochs without a better validation F1. CRD contrasts the
/// students' last hidden block (16) with the teacher's (256) in a 128-d space, K capped at the training rows − 1, weight
/// 0.8; KD weight 1 (RepDistiller's α, β). The split and the teacher are fixed; the seeds change the student's initialisation
/// and batch order. Arguments: <c>seeds N</c>, <c>epochs E</c> (defaults 5 and 150). LibTorch's intra-op threads are limited
/// to one: these networks are far too small to gain from threads, and on a shared machine extra threads only contend.
/// </remarks>
public sealed class CrdTableBenchmark : IBenchmark
{
    private static readonly string[] Metrics = ["auc", "ap", "f1"];

    private static readonly IReadOnlyList<DistillationMethod>[] Combinations =
    [
        [DistillationMethod.None], [DistillationMethod.Kd], [DistillationMethod.Crd], [DistillationMethod.Crd, DistillationMethod.Kd],
    ];

    /// <inheritdoc />
    public string Name => "crd-table";

    /// <inheritdoc />
    public string Description => "Notebook 04's table: breast-cancer students with None, KD, CRD, CRD+KD; test AUC/AP/F1, mean ± std over seeds";

    /// <inheritdoc />
    public void Run(string[] args)
    {
        torch.set_num_threads(1);
        int seeds = BenchArguments.Int(args, "seeds", 5, minimum: 1);
        int epochs = BenchArguments.Int(args, "epochs", 150, minimum: 1);
        var options = new TrainingOptions(Epochs: epochs, BatchSize: 64, LearningRate: 1e-3);
        var clock = Stopwatch.StartNew();

        var data = TeacherStudentData.BreastCancer(seed: 0, device: DistillDevice.Current);
        var (teacher, teacherResult) = TabularDistillation.TrainTeacher(data, [256, 1024, 256], options, seed: 0);
        var teacherTest = new ClassifierObjective(teacher, ClassificationTask.For(2), InputView.Teacher).Evaluate(data.Test);
        Console.WriteLine($"teacher [30, 256, 1024, 256] on all 30 features: kept epoch {teacherResult.BestEpoch} of {teacherResult.History.Count}, test " +
                          $"{string.Join(", ", Metrics.Select(m => $"{m} {teacherTest.Metrics[m]:F4}"))} ({clock.Elapsed.TotalSeconds:F0} s)");

        var runs = TabularDistillationCombined.CompareCombinations(data, teacher, Combinations, [32, 16], options, Enumerable.Range(1, seeds),
            new SyncProgress<CombinedRun>(r => Console.Error.WriteLine(
                $"  {r.Label} seed {r.Seed}: {string.Join(", ", Metrics.Select(m => $"{m} {r.Test.Metrics[m]:F4}"))}, " +
                $"kept epoch {r.Training.BestEpoch} of {r.Training.History.Count} ({clock.Elapsed.TotalSeconds:F0} s)")));
        Console.WriteLine($"\nstudents [10, 32, 16] on the 10 means, {seeds} seeds, at most {epochs} epochs:\n");
        Console.WriteLine(ResultSummary.ToMarkdown(TabularDistillationCombined.Summarise(runs, Metrics)));
        Console.WriteLine($"\n({runs.Count} students and the teacher in {clock.Elapsed.TotalSeconds:F0} s)");
    }
}
