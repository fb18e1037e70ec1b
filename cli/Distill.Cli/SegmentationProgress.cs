using Distill.Data.Ecg;
using Spectre.Console;

namespace Distill.Cli;

/// <summary>One console line per segmented MIT-BIH record, with an estimate of the time left.</summary>
internal sealed class SegmentationProgress(IAnsiConsole console) : IProgress<MitBihSegmentationProgress>
{
    public void Report(MitBihSegmentationProgress value) =>
        console.WriteLine($"[{value.RecordsDone}/{value.RecordsTotal}] record {value.Record}: {value.Beats} beats, " +
                          $"{value.Elapsed.TotalSeconds:F0} s elapsed, ~{value.Remaining.TotalSeconds:F0} s left");
}
