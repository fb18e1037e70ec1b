using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Losses;
using Distill.Models;
using Distill.Runtime;
using Distill.Training;
using static TorchSharp.torch;

namespace Distill.Bench.Benchmarks;

/// <summary>Speed of a tabular student's training with the teacher's pass cached against the teacher run live every step.</summary>
/// <remarks>
/// Breast cancer with the notebooks' privileged teacher [30, 256, 1024, 256] (untrained: the speed does not depend on its
/// weights) and student [10, 32, 16]; the terms of <c>--spec</c> (default <c>kd+fitnet</c>) at their default weights, batch 64.
/// Each student is trained by <see cref="SupervisedTrainer.Fit"/> for --epochs epochs after one warm-up epoch (the difference
/// of an (epochs + 1)- and a 1-epoch run, so set-up and the cache build cancel); an epoch's time includes its validation pass,
/// which reads the student only and is the same in both modes. Reports steps per second (wall clock and process CPU time)
/// and the cache's size. Usage: <c>tabular-step [--epochs 20] [--spec kd+fitnet] [--threads 1]</c>.
/// </remarks>
public sealed class TabularStudentStepBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "tabular-step";

    /// <inheritdoc />
    public string Description => "Tabular student steps/s with the teacher-pass cache vs the live teacher";

    /// <inheritdoc />
    public void Run(string[] args)
    {
        int epochs = BenchArguments.Int(args, "--epochs", 20, minimum: 1), threads = BenchArguments.Int(args, "--threads", 1, minimum: 1);
        string spec = BenchArguments.Text(args, "--spec", "kd+fitnet");
        set_num_threads(threads);
        var data = TeacherStudentData.BreastCancer(seed: 0);
        Reproducibility.Seed(0);
        var task = ClassificationTask.For(data.ClassCount);
        var teacher = new Mlp([data.TeacherView.Columns.Count, 256, 1024, 256], task.OutputCount, "teacher", DistillDevice.Current);
        long steps = (data.Train.Count + 63) / 64 * epochs;
        Console.WriteLine($"{data.Train.Count} training rows, batch 64, 1 warm-up + {epochs} timed epochs; spec {spec}; device {DistillDevice.Current.type}, " +
                          $"torch threads {get_num_threads()}, load average {Results.LoadAverage()}");
        Elapsed(data, teacher, spec, cache: true, 1); // compiles the code paths before any figure
        var rates = new Dictionary<bool, double>();
        foreach (bool cache in new[] { false, true })
        {
            var (wallMs, cpuMs) = StepTiming.PerStep(e => Elapsed(data, teacher, spec, cache, e), epochs, steps);
            double wall = 1000 / wallMs, cpu = 1000 / cpuMs;
            string mode = cache ? "cached" : "live";
            rates[cache] = cpu;
            Console.WriteLine($"{mode,-7} {wall,9:F0} steps/s wall, {cpu,9:F0} steps/s CPU");
            Results.Print($"tabular-step-{mode}-wall", wall, "steps/s");
            Results.Print($"tabular-step-{mode}-cpu", cpu, "steps/s");
        }
        Results.Print("tabular-step-cached-vs-live", rates[true] / rates[false], "x");
        var terms = Terms(data, teacher, spec, out _);
        if (terms.Any(t => t.Loss is not ITeacherPassReader))
        {
            Console.WriteLine("a term does not declare what it reads of the teacher: both runs ran the teacher live");
            return;
        }
        var parts = terms.Select(t => ((ITeacherPassReader)t.Loss).TeacherParts).Aggregate(TeacherPassParts.None, (a, b) => a.Union(b));
        teacher.eval();
        using var cached = TeacherPassCache.Build(teacher, data.Train.TeacherInput, parts);
        double perTenThousand = cached.Bytes * 10_000.0 / cached.Rows / 1e6;
        Console.WriteLine($"cache: {cached.Bytes} bytes for {cached.Rows} rows (output {parts.Output}, features [{string.Join(", ", parts.Features)}]), {perTenThousand:F2} MB per 10,000 rows");
        Results.Print("tabular-step-cache-per-10000-rows", perTenThousand, "MB");
        Console.WriteLine($"load average after {Results.LoadAverage()}");
    }

    private static (double Wall, double Cpu) Elapsed(TeacherStudentData data, Mlp teacher, string spec, bool cache, int epochs)
    {
        using var scope = NewDisposeScope();
        Reproducibility.Seed(1);
        var terms = Terms(data, teacher, spec, out var student);
        var task = ClassificationTask.For(data.ClassCount);
        var objective = new DistillationObjective(student, Distiller.Create(student, teacher, task.Loss, terms), task);
        var options = new TrainingOptions(Epochs: epochs, BatchSize: 64, EarlyStoppingPatience: epochs + 1, CacheTeacherPasses: cache);
        return StepTiming.Time(() => new SupervisedTrainer(options).Fit(objective, data.Train, data.Validation, seed: 1));
    }

    private static IReadOnlyList<DistillationTerm> Terms(TeacherStudentData data, Mlp teacher, string spec, out Mlp student)
    {
        student = new Mlp([data.StudentView.Columns.Count, 32, 16], ClassificationTask.For(data.ClassCount).OutputCount, "student", DistillDevice.Current);
        return MethodSpec.Parse(spec).Build(new MlpPair(student, teacher, data.ClassCount, data.Train.TeacherInput, data.Train.Targets));
    }
}
