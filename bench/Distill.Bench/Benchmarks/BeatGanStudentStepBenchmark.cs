using System.Diagnostics;
using Distill.Distillation;
using Distill.Distillation.BeatGan;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Training;
using Distill.Training.BeatGan;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Bench.Benchmarks;

/// <summary>Speed of a BeatGAN student step without distillation and with each single term, as the ratio to the plain step.</summary>
/// <remarks>
/// Teacher of BeatGAN's sizes (nz 50, ngf = ndf = 32), student of <see cref="BeatGanKdConfig"/>'s (nz 16, ngf = ndf = 8), the
/// default term weights, batch 64, on random beats; each student is trained by <see cref="BeatGanStudentTrainer.Fit"/> (with
/// the teacher-pass cache where the terms allow it) for --epochs epochs after one warm-up epoch, the cache build included (the
/// difference of an (epochs + 1)- and a 1-epoch run, so set-up and the cache build cancel). Reports wall-clock and process CPU time.
/// Targets (issue 15): rec-kd, score-kd, latent and at ≤ 1.3x the plain step, d-at ≤ 2x.
/// Usage: <c>student-step [--beats 640] [--epochs 4] [--batch 64] [--threads N] [--terms plain,rec-kd,...]</c>.
/// </remarks>
public sealed class BeatGanStudentStepBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "student-step";

    /// <inheritdoc />
    public string Description => "BeatGAN student step: plain vs each distillation term (ms/step and ratio to plain)";

    /// <inheritdoc />
    public void Run(string[] args)
    {
        int beats = BenchArguments.Int(args, "--beats", 640, minimum: 1), epochs = BenchArguments.Int(args, "--epochs", 4, minimum: 1);
        int batch = BenchArguments.Int(args, "--batch", 64, minimum: 1), threads = BenchArguments.Int(args, "--threads", 0);
        string[] names = BenchArguments.Text(args, "--terms", "plain,rec-kd,score-kd,latent,at,d-at,crd").Split(',');
        if (threads > 0) set_num_threads(threads);
        var teacherSizes = new BeatGanOptions();
        var studentSizes = new BeatGanOptions(LatentSize: 16, GeneratorWidth: 8, DiscriminatorWidth: 8);
        Console.WriteLine($"beats {beats}, batch {batch}, 1 warm-up + {epochs} timed epochs of {beats / batch} steps; device {DistillDevice.Current.type}, " +
                          $"torch threads {get_num_threads()}, load average {Results.LoadAverage()}");
        Reproducibility.Seed(0);
        var train = (randn(beats, 1, teacherSizes.SignalLength) * 0.3).tanh();
        MillisecondsPerStep("plain", train, teacherSizes, studentSizes, batch, 1); // compiles the code paths before any figure
        double plain = double.NaN;
        foreach (string name in names)
        {
            var (wall, cpu) = MillisecondsPerStep(name, train, teacherSizes, studentSizes, batch, epochs);
            if (name == "plain") plain = cpu;
            Console.WriteLine($"{name,-9} {wall,8:F2} ms/step wall, {cpu,8:F2} ms/step CPU{(double.IsNaN(plain) || name == "plain" ? "" : $"  {cpu / plain:F2}x plain (CPU)")}");
            Results.Print($"student-step-{name}-wall", wall, "ms/step");
            Results.Print($"student-step-{name}-cpu", cpu, "ms/step");
            if (name != "plain" && !double.IsNaN(plain)) Results.Print($"student-step-{name}-vs-plain", cpu / plain, "x");
        }
        Console.WriteLine($"load average after {Results.LoadAverage()}");
    }

    // Wall-clock and process CPU time per step (CPU time is less sensitive to other processes on shared cores).
    private static (double Wall, double Cpu) MillisecondsPerStep(string name, Tensor train, BeatGanOptions teacherSizes, BeatGanOptions studentSizes, int batch, int epochs)
    {
        (double Wall, double Cpu) elapsed(int e)
        {
            using var scope = NewDisposeScope();
            Reproducibility.Seed(1);
            var teacher = new BeatGanGenerator(teacherSizes);
            var teacherD = new BeatGanDiscriminator(teacherSizes);
            var terms = name == "plain" ? []
                : new[] { BeatGanKdTerms.FromName(name) ?? throw new ArgumentException($"Unknown term '{name}'.") }
                    .Select(t => new DistillationTerm(BeatGanKdTerms.Create(t, studentSizes, teacherSizes, teacherD, train.shape[0]), BeatGanKdTerms.DefaultWeight(t))).ToArray();
            var trainer = new BeatGanStudentTrainer(new BeatGanGenerator(studentSizes), new BeatGanDiscriminator(studentSizes), teacher, terms,
                new BeatGanStudentOptions(new BeatGanTrainingOptions(Epochs: e, BatchSize: batch, LearningRate: 1e-4)));
            // Memory after the first and after the last epoch (managed garbage collected first), so growth over the run shows.
            var memory = new List<(double RssMiB, long LiveTensors)>();
            var afterEpoch = new SyncProgress<BeatGanStudentEpoch>(epoch => { if (epoch.Epoch == 1 || epoch.Epoch == e) memory.Add(Memory()); });
            var time = StepTiming.Time(() => trainer.Fit(train, afterEpoch));
            if (e > 1)
            {
                var (first, last) = (memory[0], memory[^1]);
                long steps = (e - 1) * (train.shape[0] / batch);
                Console.WriteLine($"{name}: after epoch 1 RSS {first.RssMiB:F1} MiB, {first.LiveTensors} live tensors; after epoch {e} " +
                                  $"({steps} steps later) RSS {last.RssMiB:F1} MiB, {last.LiveTensors} live tensors");
                Results.Print($"student-step-{name}-rss-after-first-epoch", first.RssMiB, "MiB");
                Results.Print($"student-step-{name}-rss-after-last-epoch", last.RssMiB, "MiB");
                Results.Print($"student-step-{name}-rss-growth", last.RssMiB - first.RssMiB, "MiB");
                Results.Print($"student-step-{name}-live-tensor-growth", last.LiveTensors - first.LiveTensors, "tensors");
            }
            return time;
        }
        static (double, long) Memory()
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var process = Process.GetCurrentProcess();
            return (process.WorkingSet64 / 1048576.0, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        }
        return StepTiming.PerStep(elapsed, epochs, epochs * (train.shape[0] / batch));
    }
}
