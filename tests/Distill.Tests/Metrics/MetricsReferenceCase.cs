using System.Text.Json;
using Distill.Tests.Reference;

namespace Distill.Tests.Metrics;

/// <summary>One case of Reference/metrics.json (tools/reference/metrics.py, scikit-learn 1.2.1).</summary>
public sealed record MetricsReferenceCase(string Name, double[] Scores, int[] Labels, JsonElement Expected)
{
    private static readonly Lazy<IReadOnlyList<MetricsReferenceCase>> All = new(() =>
        ReferenceData.Load("metrics.json").GetProperty("cases").EnumerateArray()
            .Select(c => new MetricsReferenceCase(
                c.GetProperty("name").GetString()!,
                ReferenceData.Doubles(c.GetProperty("scores")),
                c.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                c))
            .ToList());

    /// <summary>Case names for xunit's MemberData.</summary>
    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var c in All.Value) names.Add(c.Name);
        return names;
    }

    /// <summary>The case called <paramref name="name"/>.</summary>
    public static MetricsReferenceCase Get(string name) => All.Value.Single(c => c.Name == name);

    /// <summary>An expected array of the case.</summary>
    public double[] Array(string property) => ReferenceData.Doubles(Expected.GetProperty(property));

    /// <summary>An expected scalar of the case.</summary>
    public double Scalar(string property) => Expected.GetProperty(property).GetDouble();
}
