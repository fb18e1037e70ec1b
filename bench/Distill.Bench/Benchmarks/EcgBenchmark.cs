using System.Diagnostics;
using Distill.Data;
using Distill.Data.Ecg;

namespace Distill.Bench.Benchmarks;

/// <summary>Reads and segments MIT-BIH record 100 (target: under 1 s): annotations only, unfiltered and band-passed, and the authors' protocol.</summary>
public sealed class EcgBenchmark : IBenchmark
{
    /// <inheritdoc />
    public string Name => "ecg";

    /// <inheritdoc />
    public string Description => "read + segment MIT-BIH record 100 (WFDB 212, 650000 x 2 samples), target < 1 s";

    /// <inheritdoc />
    public void Run(string[] args)
    {
        string folder = Path.GetDirectoryName(ProjectData.File("mitdb", "100.hea"))!;
        int repeats = args.Length > 0 && int.TryParse(args[0], out int n) ? n : 5;
        var protocols = new (string Name, BeatSegmentationOptions Options)[]
        {
            ("annotations, raw", BeatSegmentationOptions.AnnotationsOnly),
            ("annotations, band-passed", BeatSegmentationOptions.AnnotationsOnly with { Filter = EcgBandPass.BioSppyFir3To45Hz }),
            ("authors (R peaks)", BeatSegmentationOptions.BeatGanAuthors),
        };
        foreach (var (protocol, options) in protocols)
        {
            BeatSegmentation result = BeatSegmenter.Segment(EcgRecord.ReadWfdb(folder, "100"), options); // warm-up (JIT, torch init)
            var times = new List<double>();
            for (int r = 0; r < repeats; r++)
            {
                var watch = Stopwatch.StartNew();
                result = BeatSegmenter.Segment(EcgRecord.ReadWfdb(folder, "100"), options);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Results.Print($"ecg-segmentation-{protocol}".Replace(' ', '-'), times[times.Count / 2], "ms");
            var counts = result.CountByClass();
            Console.WriteLine($"{protocol,-25} median {times[times.Count / 2],7:F1} ms (min {times[0]:F1}, max {times[^1]:F1}, {repeats} runs)  " +
                              $"beats {result.Beats.Count}: {string.Join(" ", counts.Select(c => $"{c.Key}={c.Value}"))}, dropped at edges {result.DroppedAtEdges}, unconfirmed N {result.DroppedUnconfirmed}");
        }
        var synthetic = Stopwatch.StartNew();
        var record = SyntheticEcg.Generate(new SyntheticEcgOptions(DurationSeconds: 1800));
        Console.WriteLine($"synthetic McSharry ECG, 30 min x 2 leads at 360 Hz: {synthetic.Elapsed.TotalMilliseconds:F0} ms, {record.Annotations.Count} beats");
    }
}
