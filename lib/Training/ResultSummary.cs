using System.Globalization;

namespace Distill.Training;

/// <summary>Mean and sample standard deviation of one metric over seeds.</summary>
/// <param name="Mean">Mean over runs.</param>
/// <param name="StandardDeviation">Sample standard deviation (n - 1); 0 for a single run.</param>
/// <param name="Count">Number of runs.</param>
public readonly record struct MeanStd(double Mean, double StandardDeviation, int Count)
{
    /// <summary>The runs' values summarised (empty when the summary was built from its statistics alone), so that a
    /// chart can show every seed next to the mean: a bimodal result has a large deviation and no run near its mean.</summary>
    public IReadOnlyList<double> Values { get; init; } = [];

    /// <summary>Summarises values.</summary>
    public static MeanStd Of(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0) throw new ArgumentException("Cannot summarise zero runs.", nameof(values));
        double mean = values.Average();
        double variance = values.Count > 1 ? values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1) : 0;
        return new MeanStd(mean, Math.Sqrt(variance), values.Count) { Values = values.ToArray() };
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Mean:F4} ± {StandardDeviation:F4}");
}

/// <summary>One row of a results table: a method and its test metrics over seeds.</summary>
/// <param name="Method">Method name.</param>
/// <param name="Metrics">Each metric's mean ± std, by name.</param>
public sealed record ResultRow(string Method, IReadOnlyDictionary<string, MeanStd> Metrics);

/// <summary>Turns runs into a table of mean ± std per method.</summary>
public static class ResultSummary
{
    /// <summary>One row per method (in first-seen order) with the named test metrics.</summary>
    public static IReadOnlyList<ResultRow> ByMethod(IEnumerable<StudentRun> runs, IReadOnlyList<string> metrics)
        => runs.GroupBy(r => r.Method)
               .Select(g => new ResultRow(g.Key.ToString(), metrics.ToDictionary(m => m, m => MeanStd.Of(g.Select(r => r.Test.Metrics[m]).ToArray()))))
               .ToArray();

    /// <summary>The table as Markdown (for notes and console output).</summary>
    public static string ToMarkdown(IReadOnlyList<ResultRow> rows)
    {
        var metrics = rows[0].Metrics.Keys.ToArray();
        var lines = new List<string>
        {
            $"| method | n | {string.Join(" | ", metrics)} |",
            $"|---|---|{string.Concat(metrics.Select(_ => "---|"))}",
        };
        lines.AddRange(rows.Select(r => $"| {r.Method} | {r.Metrics[metrics[0]].Count} | {string.Join(" | ", metrics.Select(m => r.Metrics[m].ToString()))} |"));
        return string.Join("\n", lines);
    }
}
