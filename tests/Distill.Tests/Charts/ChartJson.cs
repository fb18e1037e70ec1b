using System.Text.Json;
using Plotly.NET;

namespace Distill.Tests.Charts;

/// <summary>Reads a Plotly figure's JSON back, so tests check what the browser would draw.</summary>
internal static class ChartJson
{
    public static JsonElement Figure(GenericChart chart) => JsonDocument.Parse(GenericChart.toJson(chart)).RootElement;

    public static List<JsonElement> Traces(GenericChart chart) => Figure(chart).GetProperty("data").EnumerateArray().ToList();

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static string[] Strings(JsonElement array) => array.EnumerateArray().Select(v => v.GetString()!).ToArray();
}
