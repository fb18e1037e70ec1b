using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Distill.Training.Checkpoints;

namespace Distill.Cli;

/// <summary>Writes every run of an invocation to <c>runs.csv</c> (one row per run, one column per setting and metric)
/// and <c>runs.json</c> in the output folder.</summary>
public static class RunLog
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Writes both files (atomically) and returns their paths.</summary>
    public static (string Csv, string Json) Write(string folder, IReadOnlyList<RunRecord> runs)
    {
        string csv = Path.Combine(folder, "runs.csv"), json = Path.Combine(folder, "runs.json");
        AtomicFile.Write(json, stream => JsonSerializer.Serialize(stream, runs, Json));
        AtomicFile.Write(csv, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            writer.Write(ToCsv(runs));
        });
        return (csv, json);
    }

    private static string ToCsv(IReadOnlyList<RunRecord> runs)
    {
        var metrics = runs.SelectMany(r => r.Test.Keys).Distinct().ToArray();
        var lines = new List<string>
        {
            string.Join(",", ["command", "method", "seed", "data_seed", "widths", "epochs", "epochs_run", "best_epoch", "batch_size",
                              "learning_rate", "weight", "terms", .. metrics.Select(m => $"test_{m}"), "wall_seconds"]),
        };
        lines.AddRange(runs.Select(r => string.Join(",", [
            r.Command, r.Method, Text(r.Seed), Text(r.DataSeed), string.Join(" ", r.Widths), Text(r.Epochs), Text(r.EpochsRun),
            Text(r.BestEpoch), Text(r.BatchSize), Text(r.LearningRate), r.Weight is { } w ? Text(w) : "", r.Terms,
            .. metrics.Select(m => r.Test.TryGetValue(m, out var v) ? Text(v) : ""), Text(r.WallSeconds)])));
        return string.Join("\n", lines) + "\n";
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
