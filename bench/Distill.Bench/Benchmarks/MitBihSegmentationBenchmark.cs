using System.Diagnostics;
using Distill.Data.Ecg;

namespace Distill.Bench.Benchmarks;

/// <summary>Segments the 44 BeatGAN records of the full MIT-BIH database with the authors' protocol, timing each stage.</summary>
public sealed class MitBihSegmentationBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "mitbih-segment";

    /// <inheritdoc />
    public string Description => "authors' segmentation (BioSPPy filter + Hamilton R peaks) of the 44 MIT-BIH records, per stage; --cache DIR";

    /// <inheritdoc />
    public void Run(string[] args)
    {
        string folder = BenchArguments.Text(args, "--cache", MitBih.DefaultCacheFolder);
        var source = MitBihSource.Locate(folder);
        if (!source.IsFullDatabase)
        {
            Console.WriteLine($"The full database is not in {folder}; pass --cache DIR (or set {MitBih.CacheVariable}).");
            return;
        }
        var wall = Stopwatch.StartNew();
        double cpu0 = Cpu();
        var read = new Stage();
        var filter = new Stage();
        var detect = new Stage();
        var segment = new Stage();
        var counts = new Dictionary<AamiClass, int>();
        int unconfirmed = 0;
        foreach (string name in source.Records)
        {
            var record = read.Time(() => EcgRecord.ReadWfdb(folder, name));
            var lead = record.Millivolts[BeatSegmenter.LeadOrder(record.Leads)[0]];
            var filtered = filter.Time(() => EcgFilter.Apply(EcgBandPass.BioSppyFir3To45Hz, lead, record.SamplingFrequency));
            detect.Time(() => HamiltonSegmenter.Detect(filtered, record.SamplingFrequency));
            var result = segment.Time(() => BeatSegmenter.Segment(record));
            foreach (var (c, n) in result.CountByClass()) counts[c] = counts.GetValueOrDefault(c) + n;
            unconfirmed += result.DroppedUnconfirmed;
        }
        Console.WriteLine($"44 records, seconds wall / CPU: read {read}; one lead's FIR band-pass {filter}; Hamilton detector on it {detect}; " +
                          $"whole authors' segmentation (both leads filtered, detection, cutting, scaling) {segment}");
        Console.WriteLine($"total wall {wall.Elapsed.TotalSeconds:F1} s, CPU {Cpu() - cpu0:F1} s (CPU time is what the work costs on a busy machine)");
        Console.WriteLine($"beats kept: {string.Join(" ", counts.Select(c => $"{c.Key}={c.Value}"))}; N beats without a detected R peak: {unconfirmed}");
    }

    private static double Cpu() => Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;

    private sealed class Stage
    {
        private double wall, cpu;

        public T Time<T>(Func<T> work)
        {
            double cpu0 = Cpu();
            var watch = Stopwatch.StartNew();
            var result = work();
            wall += watch.Elapsed.TotalSeconds;
            cpu += Cpu() - cpu0;
            return result;
        }

        public override string ToString() => $"{wall:F1} / {cpu:F1}";
    }
}
