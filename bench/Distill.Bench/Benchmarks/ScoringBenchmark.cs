using System.Diagnostics;
using Distill.Anomaly;
using Distill.Models.BeatGan;
using Distill.Runtime;
using static TorchSharp.torch;

namespace Distill.Bench.Benchmarks;

/// <summary>Scoring throughput on the deployment path: beats/s of BeatGAN's anomaly score for the teacher and the student generator.</summary>
/// <remarks>
/// The score is the per-beat reconstruction error ||x − G(x)||² (Zhou et al., IJCAI 2019, Section 3) as
/// <see cref="ReconstructionScores.Errors"/> computes it, in evaluation mode without gradient. Teacher of BeatGAN's sizes
/// (nz 50, ngf 32), student of <see cref="Distillation.BeatGan.BeatGanKdConfig"/>'s (nz 16, ngf 8), random beats; the
/// teacher and the student alternate --repeats times and the median is reported, so the ratio comes from one machine state.
/// Usage: <c>scoring [--beats 10000] [--batch 1024] [--repeats 3] [--threads N]</c>.
/// </remarks>
public sealed class ScoringBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "scoring";

    /// <inheritdoc />
    public string Description => "BeatGAN anomaly scoring beats/s (10,000 beats, batch 1024), teacher vs student generator";

    /// <inheritdoc />
    public void Run(string[] args)
    {
        int beats = BenchArguments.Int(args, "--beats", 10000, minimum: 1), batch = BenchArguments.Int(args, "--batch", 1024, minimum: 1);
        int repeats = BenchArguments.Int(args, "--repeats", 3, minimum: 1), threads = BenchArguments.Int(args, "--threads", 0);
        if (threads > 0) set_num_threads(threads);
        Reproducibility.Seed(0);
        var teacher = new BeatGanGenerator(new BeatGanOptions());
        var student = new BeatGanGenerator(new BeatGanOptions(LatentSize: 16, GeneratorWidth: 8, DiscriminatorWidth: 8));
        var x = (rand(beats, 1, 320, device: DistillDevice.Current) * 2 - 1).DetachFromDisposeScope();
        Console.WriteLine($"{beats} beats, batch {batch}, {repeats} alternating repeats; device {DistillDevice.Current.type}, torch threads {get_num_threads()}, " +
                          $"load average {Results.LoadAverage()}");
        ReconstructionScores.Errors(teacher, x.narrow(0, 0, Math.Min(batch, beats)), batch).Dispose(); // warm-up
        ReconstructionScores.Errors(student, x.narrow(0, 0, Math.Min(batch, beats)), batch).Dispose();
        var times = new Dictionary<string, List<double>> { ["teacher"] = [], ["student"] = [] };
        for (int r = 0; r < repeats; r++)
            foreach (var (name, generator) in new[] { ("teacher", teacher), ("student", student) })
            {
                var clock = Stopwatch.StartNew();
                using var errors = ReconstructionScores.Errors(generator, x, batch);
                _ = errors.sum().item<float>();
                times[name].Add(clock.Elapsed.TotalSeconds);
            }
        double Rate(string name) => beats / times[name].Order().ElementAt(repeats / 2);
        foreach (string name in times.Keys)
        {
            Console.WriteLine($"{name,-8} {Rate(name),10:F0} beats/s (median of {repeats})");
            Results.Print($"scoring-{name}", Rate(name), "beats/s");
        }
        Console.WriteLine($"student / teacher: {Rate("student") / Rate("teacher"):F1}x; load average after {Results.LoadAverage()}");
        Results.Print("scoring-student-vs-teacher", Rate("student") / Rate("teacher"), "x");
    }
}
