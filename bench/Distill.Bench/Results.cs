using System.Globalization;

namespace Distill.Bench;

/// <summary>The machine-readable figure lines every benchmark prints next to its prose: <c>RESULT &lt;name&gt; &lt;value&gt; &lt;unit&gt;</c>.</summary>
public static class Results
{
    /// <summary>Prints one figure as <c>RESULT name value unit</c> (invariant culture, round-trip value).</summary>
    public static void Print(string name, double value, string unit)
    {
        if (name.Any(char.IsWhiteSpace) || unit.Any(char.IsWhiteSpace))
            throw new ArgumentException($"RESULT names and units are single words; got '{name}' '{unit}'.");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"RESULT {name} {value:G6} {unit}"));
    }

    /// <summary>The 1, 5 and 15 minute load averages, or "n/a".</summary>
    public static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}
