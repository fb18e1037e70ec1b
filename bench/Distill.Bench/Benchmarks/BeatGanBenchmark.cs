using System.Diagnostics;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Training.BeatGan;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Bench.Benchmarks;

/// <summary>BeatGAN teacher training speed (D step + G step) and memory over many steps.</summary>
/// <remarks>
/// The same step, timed in PyTorch 1.13, is tools/reference/beatgan_bench.py; run both with the same --threads.
/// Arguments: --steps N (1000), --warmup N (20), --threads N (TorchSharp's default when absent), --batch N (64),
/// --width N (ngf = ndf, 32; a narrow network checks memory over many steps quickly on a loaded machine), --rounds N (2):
/// TorchSharp and the PyTorch reference alternate that many times in this one invocation (--reference no skips PyTorch).
/// </remarks>
public sealed class BeatGanBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "beatgan";

    /// <inheritdoc />
    public string Description => "BeatGAN teacher training steps/s (batch 64, nz 50, ngf = ndf = 32, 1 x 320) and RSS before/after the steps";

    /// <inheritdoc />
    public void Run(string[] args)
    {
        int steps = BenchArguments.Int(args, "--steps", 1000), warmup = BenchArguments.Int(args, "--warmup", 20), batch = BenchArguments.Int(args, "--batch", 64);
        int threads = BenchArguments.Int(args, "--threads", 0), width = BenchArguments.Int(args, "--width", 32);
        if (threads > 0) set_num_threads(threads);
        Reproducibility.Seed(0);

        var options = new BeatGanOptions(GeneratorWidth: width, DiscriminatorWidth: width);
        var g = new BeatGanGenerator(options, DistillDevice.Current);
        var d = new BeatGanDiscriminator(options, DistillDevice.Current);
        // A huge threshold would re-draw D every step; 0 keeps the timing to the D and G updates themselves.
        var trainer = new BeatGanTrainer(g, d, new BeatGanTrainingOptions(BatchSize: batch, ReinitThreshold: 0));
        var beats = (rand(batch, options.Channels, options.SignalLength, device: DistillDevice.Current) * 2 - 1).DetachFromDisposeScope();

        Console.WriteLine($"ngf = ndf = {width}, nz {options.LatentSize}; device {DistillDevice.Current.type}, torch threads {get_num_threads()}, load average {File.ReadAllText("/proc/loadavg").Trim()}");
        int rounds = BenchArguments.Int(args, "--rounds", 2);
        string referenceArguments = string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"--steps {steps} --warmup {warmup} --batch {batch} --width {width} --threads {get_num_threads()}");
        var ours = new List<double>();
        var theirs = new List<double>();
        for (int round = 1; round <= rounds; round++)
        {
            Console.WriteLine($"-- round {round} of {rounds}: TorchSharp, then PyTorch 1.13 (tools/reference/beatgan_bench.py {referenceArguments})");
            ours.Add(Measure(trainer, beats, steps, warmup, batch));
            if (BenchArguments.Text(args, "--reference", "yes") == "no") continue;
            if (PyTorchReference.Run("beatgan_bench.py", referenceArguments) is { } figures && figures.TryGetValue("pytorch-beatgan-step", out double rate))
                theirs.Add(rate);
        }
        Results.Print("beatgan-step", ours.Average(), "steps/s");
        double peak = StepFlops.MatmulGflops();
        double achieved = 2.0 * StepFlops.BeatGanStepMultiplyAdds(options) * batch * ours.Average() / 1e9;
        Console.WriteLine($"step: {StepFlops.BeatGanStepMultiplyAdds(options) * (double)batch / 1e9:F2} G multiply-adds (3 G + 9 D per beat x {batch}); " +
                          $"{achieved:F1} GFLOP/s of a measured dense-matmul {peak:F1} GFLOP/s ({100 * achieved / peak:F0} %)");
        Results.Print("beatgan-step-multiply-adds", StepFlops.BeatGanStepMultiplyAdds(options) * (double)batch, "MAC");
        Results.Print("matmul-peak", peak, "GFLOP/s");
        Results.Print("beatgan-step-fraction-of-peak", achieved / peak, "fraction");
        if (theirs.Count > 0)
        {
            Results.Print("pytorch-beatgan-step", theirs.Average(), "steps/s");
            Results.Print("beatgan-step-vs-pytorch", ours.Average() / theirs.Average(), "x");
            Console.WriteLine($"TorchSharp / PyTorch: {ours.Average() / theirs.Average():F2}x (means of {ours.Count} alternating rounds)");
        }
        Console.WriteLine($"load average after {File.ReadAllText("/proc/loadavg").Trim()}");
    }

    // One timed run of the trainer's step; prints the figures and returns steps/s.
    private static double Measure(BeatGanTrainer trainer, Tensor beats, int steps, int warmup, int batch)
    {
        for (int i = 0; i < warmup; i++) trainer.TrainStep(beats);
        long rssAfterWarmup = ResidentBytes(), liveBefore = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        // The allocator and the JIT keep growing the process for the first ~100 steps, then RSS levels off:
        // the steady-state change is measured from a tenth of the run to its end.
        int settle = Math.Max(1, steps / 10);
        long rssSettled = rssAfterWarmup;
        var clock = Stopwatch.StartNew();
        BeatGanStepLosses last = trainer.TrainStep(beats);
        for (int i = 1; i < steps; i++)
        {
            last = trainer.TrainStep(beats);
            if (i == settle) rssSettled = ResidentBytes();
        }
        clock.Stop();
        long rssEnd = ResidentBytes(), liveAfter = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        Console.WriteLine($"steps {steps} (after {warmup} warm-up), batch {batch}: {steps / clock.Elapsed.TotalSeconds:F2} steps/s, {clock.Elapsed.TotalMilliseconds / steps:F2} ms/step");
        Console.WriteLine($"RSS after warm-up {Mib(rssAfterWarmup)} MiB, after step {settle} {Mib(rssSettled)} MiB, after step {steps} {Mib(rssEnd)} MiB " +
                          $"(steady-state change {(rssEnd - rssSettled) / 1048576.0:+0.0;-0.0;0.0} MiB)");
        Console.WriteLine($"live tensors before {liveBefore}, after {liveAfter}");
        Console.WriteLine($"last step: D {last.Discriminator:G4}, G rec {last.Reconstruction:G4}, G adv {last.Adversarial:G4}");
        Results.Print("beatgan-rss-change", (rssEnd - rssSettled) / 1048576.0, "MiB");
        Results.Print("beatgan-live-tensor-change", liveAfter - liveBefore, "tensors");
        return steps / clock.Elapsed.TotalSeconds;
    }

    private static string Mib(long bytes) => (bytes / 1048576.0).ToString("F1");

    private static long ResidentBytes()
    {
        using var process = Process.GetCurrentProcess();
        process.Refresh();
        return process.WorkingSet64;
    }
}
