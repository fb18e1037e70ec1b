using System.Diagnostics;
using Distill.Losses.Crd;
using Distill.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Bench.Benchmarks;

/// <summary>CRD training-step speed and peak memory, per-row (reference) against shared negatives.</summary>
/// <remarks>
/// One step is CrdLoss's forward, backward and memory update, with contrast indices drawn before the clock starts
/// (RepDistiller draws them in its data loader); the sampler's own cost is timed separately. Peak memory is the
/// process's peak resident set (VmHWM), reset through /proc/self/clear_refs before each mode, so it counts everything
/// the process holds (runtime, libtorch, the two banks) and not only this mode's tensors.
/// Usage: <c>crd [--mode exact|shared|both] [--steps 10] [--warmup 2] [--batch 64] [--k 16384] [--n-data 50000]
/// [--feat-dim 128] [--dim 256] [--threads N]</c>. With the exact mode it also runs PyTorch's counterpart
/// (tools/reference/crd_bench.py) twice, alternating with ours, and prints the ratio. Besides wall-clock steps/s it prints the process CPU time per step, which
/// is less sensitive to other processes sharing the cores.
/// </remarks>
public sealed class CrdBenchmark : IBenchmark
{
    /// <inheritdoc/>
    public string Name => "crd";

    /// <inheritdoc/>
    public string Description => "CRD step (forward+backward+memory update): steps/s and peak RSS, per-row vs shared negatives";

    /// <inheritdoc/>
    public void Run(string[] args)
    {
        string mode = BenchArguments.Text(args, "--mode", "both");
        int steps = BenchArguments.Int(args, "--steps", 10);
        int warmup = BenchArguments.Int(args, "--warmup", 2);
        long batch = BenchArguments.Int(args, "--batch", 64, minimum: 1);
        int k = BenchArguments.Int(args, "--k", 16384);
        long nData = BenchArguments.Int(args, "--n-data", 50000, minimum: 1);
        int featDim = BenchArguments.Int(args, "--feat-dim", 128);
        long dim = BenchArguments.Int(args, "--dim", 256, minimum: 1);
        int threads = BenchArguments.Int(args, "--threads", 0);
        if (threads > 0) torch.set_num_threads(threads);

        Console.WriteLine($"device {DistillDevice.Current.type}, torch threads {torch.get_num_threads()}, B {batch}, K {k}, n_data {nData}, " +
                          $"feat_dim {featDim}, s_dim = t_dim = {dim}, {warmup} warm-up + {steps} timed steps, load average {LoadAverage()}");
        var modes = mode switch
        {
            "both" => new[] { NegativeSampling.Shared, NegativeSampling.PerRow },
            "shared" => new[] { NegativeSampling.Shared },
            "exact" or "per-row" => new[] { NegativeSampling.PerRow },
            _ => throw new ArgumentException($"--mode must be exact, shared or both, not '{mode}'."),
        };
        var speeds = new Dictionary<NegativeSampling, double>();
        foreach (var sampling in modes)
            speeds[sampling] = RunMode(sampling, steps, warmup, batch, k, nData, featDim, dim);
        if (modes.Contains(NegativeSampling.PerRow))
            CompareWithPyTorch(speeds[NegativeSampling.PerRow], $"--steps {steps} --warmup {warmup} --batch {batch} --k {k} " +
                $"--n-data {nData} --feat-dim {featDim} --dim {dim}{(threads > 0 ? $" --threads {threads}" : "")}",
                () => RunMode(NegativeSampling.PerRow, steps, warmup, batch, k, nData, featDim, dim));
        if (speeds.Count == 2)
        {
            Console.WriteLine($"shared / per-row speed-up: {speeds[NegativeSampling.Shared] / speeds[NegativeSampling.PerRow]:F1}x (target >= 10x)");
            Results.Print("crd-shared-vs-per-row", speeds[NegativeSampling.Shared] / speeds[NegativeSampling.PerRow], "x");
        }
    }

    // The exact (per-row) step against tools/reference/crd_bench.py (RepDistiller's CRD in PyTorch 1.13) at the same sizes,
    // alternated ours, theirs, ours, theirs so both see the same machine state; the ratio is of the means.
    private static void CompareWithPyTorch(double first, string arguments, Func<double> again)
    {
        var ours = new List<double> { first };
        var theirs = new List<double>();
        if (PyTorchReference.Run("crd_bench.py", arguments) is { } a && a.TryGetValue("pytorch-crd-step", out double rateA)) theirs.Add(rateA);
        ours.Add(again());
        if (PyTorchReference.Run("crd_bench.py", arguments) is { } b && b.TryGetValue("pytorch-crd-step", out double rateB)) theirs.Add(rateB);
        if (theirs.Count == 0) return;
        Console.WriteLine($"exact (per-row) step: ours {ours.Average():F2} vs PyTorch {theirs.Average():F2} steps/s = " +
                          $"{ours.Average() / theirs.Average():F2}x (target >= 1x)");
        Results.Print("crd-exact-pytorch-step", theirs.Average(), "steps/s");
        Results.Print("crd-exact-vs-pytorch", ours.Average() / theirs.Average(), "x");
    }

    private static double RunMode(NegativeSampling sampling, int steps, int warmup, long batch, int k, long nData, int featDim, long dim)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        bool peakReset = ResetPeakRss();
        long rssBefore = StatusKb("VmRSS");
        Reproducibility.Seed(0);
        var labels = torch.arange(nData, device: DistillDevice.Current).remainder(100); // 100 classes, as CIFAR-100
        var options = new CrdOptions(FeatureDim: featDim, Negatives: k, NegativeSampling: sampling);
        using var crd = new CrdLoss(dim, dim, nData, options, labels, device: DistillDevice.Current);
        var student = torch.randn(batch, dim, device: DistillDevice.Current).requires_grad_(true);
        var teacher = torch.randn(batch, dim, device: DistillDevice.Current);

        var sampleClock = new Stopwatch();
        var batches = new List<(Tensor Rows, ContrastIndices Contrast)>();
        for (int i = 0; i < warmup + steps; i++)
        {
            var rows = torch.randperm(nData, device: DistillDevice.Current).narrow(0, 0, batch);
            sampleClock.Start();
            var contrast = crd.Sampler.Sample(rows);
            _ = contrast.Negatives.sum().item<long>(); // wait for the device before stopping the clock
            sampleClock.Stop();
            batches.Add((rows, contrast));
        }

        var stepClock = new Stopwatch();
        var cpuStart = TimeSpan.Zero;
        for (int i = 0; i < warmup + steps; i++)
        {
            if (i == warmup)
            {
                cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
                stepClock.Start();
            }
            using var scope = torch.NewDisposeScope();
            student.grad?.zero_();
            crd.zero_grad();
            var loss = crd.forward(student, teacher, batches[i].Rows, batches[i].Contrast);
            loss.backward();
            _ = loss.item<float>(); // synchronise
        }
        stepClock.Stop();
        double cpuMs = (Process.GetCurrentProcess().TotalProcessorTime - cpuStart).TotalMilliseconds / steps;

        double stepsPerSecond = steps / stepClock.Elapsed.TotalSeconds;
        long peak = StatusKb("VmHWM");
        Console.WriteLine($"{sampling,-7}: {stepsPerSecond,7:F2} steps/s ({1000 / stepsPerSecond,8:F1} ms/step, CPU {cpuMs,8:F1} ms/step); " +
                          $"sampler {sampleClock.Elapsed.TotalMilliseconds / (warmup + steps),7:F1} ms/batch (not in the step); " +
                          $"peak RSS {peak / 1024.0,7:F0} MiB{(peakReset ? "" : " (process lifetime: clear_refs unavailable)")}, RSS before {rssBefore / 1024.0:F0} MiB; " +
                          $"Z = ({crd.Memory.Z.Student:F0}, {crd.Memory.Z.Teacher:F0})");
        Results.Print($"crd-step-{sampling}", stepsPerSecond, "steps/s");
        Results.Print($"crd-step-cpu-{sampling}", cpuMs, "ms/step");
        Results.Print($"crd-peak-rss-{sampling}", peak / 1024.0, "MiB");
        foreach (var (rows, contrast) in batches)
        {
            rows.Dispose();
            contrast.Positives.Dispose();
            contrast.Negatives.Dispose();
        }
        student.Dispose();
        teacher.Dispose();
        labels.Dispose();
        return stepsPerSecond;
    }

    // Writing 5 to clear_refs resets the peak resident set size (Linux 4.0+).
    private static bool ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long StatusKb(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0]);
        return -1;
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
