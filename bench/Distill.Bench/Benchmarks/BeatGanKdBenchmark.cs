using System.Diagnostics;
using Distill.Distillation.BeatGan;
using Distill.Experiments.BeatGan;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Training;
using static TorchSharp.torch;

namespace Distill.Bench.Benchmarks;

/// <summary>BeatGAN distillation: teacher, student without KD and one student per term over seeds, plus compression figures.</summary>
/// <remarks>
/// Data: the BeatGAN authors' demo beats (<see cref="BeatGanKdData"/>). Arguments: --seeds N (5), --teacher-epochs N (30),
/// --student-epochs N (100), --threads N (TorchSharp's default when absent). An epoch is 2 steps of 16 beats; 100 student
/// epochs (200 steps) are needed for the students' seed-to-seed spread to shrink below the terms' effects (with 20 epochs
/// some seeds had not learned to reconstruct yet: AUC ± 0.22). About 10 minutes on a loaded 2-core CPU.
/// </remarks>
public sealed class BeatGanKdBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "beatgan-kd";

    /// <inheritdoc />
    public string Description => "BeatGAN teacher vs students with each distillation term (mean ± std of test AUC/AP/F1 over seeds) and compression figures";

    /// <inheritdoc />
    public void Run(string[] args)
    {
        int seeds = BenchArguments.Int(args, "--seeds", 5), teacherEpochs = BenchArguments.Int(args, "--teacher-epochs", 30);
        int studentEpochs = BenchArguments.Int(args, "--student-epochs", 100), threads = BenchArguments.Int(args, "--threads", 0);
        if (threads > 0) set_num_threads(threads);
        var config = BeatGanKdConfig.Default(seeds, teacherEpochs, studentEpochs);
        Console.WriteLine($"seeds {seeds}, teacher epochs {teacherEpochs}, student epochs {studentEpochs}, batch {config.BatchSize}, lr {config.LearningRate}; " +
                          $"device {DistillDevice.Current.type}, torch threads {get_num_threads()}, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        Console.WriteLine($"teacher {config.Teacher}\nstudent {config.Student}");
        Console.WriteLine($"students: {string.Join("; ", config.Students)}");

        var data = BeatGanKdData.Load(DistillDevice.Current);
        var clock = Stopwatch.StartNew();
        var runs = BeatGanKdExperiment.Run(config, data, Console.WriteLine);
        Console.WriteLine($"trained {runs.Count} models in {clock.Elapsed.TotalSeconds:F0} s\n");
        Console.WriteLine(ResultSummary.ToMarkdown(BeatGanKdExperiment.Summarise(runs)));

        Reproducibility.Seed(0);
        var teacher = BeatGanCompression.Measure(new BeatGanGenerator(config.Teacher), batch: 256);
        var student = BeatGanCompression.Measure(new BeatGanGenerator(config.Student), batch: 256);
        Console.WriteLine("\n| generator | parameters | multiply-adds / beat | CPU ms / beat (batch 256, median of 20) |\n|---|---|---|---|");
        Console.WriteLine($"| teacher | {teacher.Parameters:N0} | {teacher.MultiplyAdds:N0} | {teacher.MillisecondsPerBeat:F4} |");
        Console.WriteLine($"| student | {student.Parameters:N0} | {student.MultiplyAdds:N0} | {student.MillisecondsPerBeat:F4} |");
        Results.Print("teacher-multiply-adds", teacher.MultiplyAdds, "MAC/beat");
        Results.Print("student-multiply-adds", student.MultiplyAdds, "MAC/beat");
        Results.Print("teacher-ms-per-beat", teacher.MillisecondsPerBeat, "ms");
        Results.Print("student-ms-per-beat", student.MillisecondsPerBeat, "ms");
        Console.WriteLine($"| ratio | {(double)teacher.Parameters / student.Parameters:F1}x | {(double)teacher.MultiplyAdds / student.MultiplyAdds:F1}x | {teacher.MillisecondsPerBeat / student.MillisecondsPerBeat:F1}x |");
    }
}
