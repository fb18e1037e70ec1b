using System.Globalization;
using Distill.Training;
using Distill.Training.Checkpoints;
using Spectre.Console;

namespace Distill.Cli;

/// <summary>What the console shows: a line per epoch and per finished run, then a results table (mean ± std over seeds).</summary>
public static class Reports
{
    private static readonly string[] TableMetrics = ["auc", "ap", "f1", "accuracy"];

    /// <summary>Per-epoch progress lines for one run (none when <paramref name="quiet"/>).</summary>
    public static IProgress<EpochRecord>? Epochs(IAnsiConsole console, string run, bool quiet)
        => quiet ? null : new SyncProgress<EpochRecord>(r => console.MarkupLine($"[grey]{Markup.Escape(run)}[/] {Markup.Escape(r.ToString())}"));

    /// <summary>A progress line when a run ends: a text bar of runs done, and the run's test AUC and wall time.</summary>
    public static void RunFinished(IAnsiConsole console, RunRecord run, int done, int total)
    {
        const int width = 20;
        int filled = (int)Math.Round(width * (double)done / total);
        console.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"[[{new string('#', filled)}{new string('.', width - filled)}]] {done}/{total}  {Markup.Escape(run.Method)} seed {run.Seed}: " +
            $"test auc {run.Test.GetValueOrDefault("auc"):F4}  ({run.WallSeconds:F1} s)"));
    }

    /// <summary>The message of a run stopped by Ctrl-C or SIGTERM after <paramref name="epochs"/> epochs of <paramref name="model"/>.</summary>
    public static string StoppedAt(string model, int epochs, CheckpointOptions? checkpoint) => checkpoint is null
        ? $"stopped after epoch {epochs} of {model}; nothing was kept (pass --checkpoint DIR to be able to resume)."
        : $"stopped after epoch {epochs} of {model}; rerun the same command to resume.";

    /// <summary>Writes runs.csv and runs.json and prints the results table.</summary>
    public static void Finish(IAnsiConsole console, IReadOnlyList<RunRecord> runs, string folder)
    {
        var table = new Table().AddColumn("method").AddColumn("n");
        foreach (var metric in TableMetrics) table.AddColumn($"test {metric}");
        table.AddColumn("wall s");
        foreach (var group in runs.GroupBy(r => r.Method))
        {
            var cells = new List<string> { group.Key, group.Count().ToString(CultureInfo.InvariantCulture) };
            cells.AddRange(TableMetrics.Select(m => MeanStd.Of(group.Select(r => r.Test.GetValueOrDefault(m, double.NaN)).ToArray()).ToString()));
            cells.Add(group.Average(r => r.WallSeconds).ToString("F1", CultureInfo.InvariantCulture));
            table.AddRow(cells.Select(Markup.Escape).ToArray());
        }
        console.Write(table);
        var (csv, json) = RunLog.Write(folder, runs);
        console.MarkupLine($"runs written to [green]{Markup.Escape(csv)}[/] and [green]{Markup.Escape(json)}[/]");
    }
}
