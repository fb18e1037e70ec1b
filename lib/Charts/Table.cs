using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using Distill.Training;

namespace Distill.Charts;

/// <summary>A table of results or values as a notebook shows it: an HTML table in every front end (and aligned plain
/// text elsewhere), every cell rounded to what matters.</summary>
/// <remarks>
/// Cells are formatted once, by <see cref="Format"/>: metrics to 4 decimals (<c>0.9816</c>), mean ± standard deviation as
/// <c>0.9816 ± 0.0101</c> (<see cref="MeanStd.ToString"/>), very small or very large numbers in scientific notation (<c>3.2e-08</c>) so that a gradient
/// of 1e-9 does not read as 0, integers with thousands separators. Every row is shown: nothing is cut after 20 rows
/// as the kernel's own formatter does for sequences.
/// </remarks>
public sealed class Table
{
    private Table(IReadOnlyList<string> columns, IReadOnlyList<IReadOnlyList<object?>> rows, string? caption)
    {
        Columns = columns;
        Values = rows;
        Caption = caption;
    }

    /// <summary>Column headers.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The raw cell values, one list per row (formatted by <see cref="Format"/> when shown).</summary>
    public IReadOnlyList<IReadOnlyList<object?>> Values { get; }

    /// <summary>Optional caption shown above the table.</summary>
    public string? Caption { get; }

    /// <summary>One row per item, one column per public property (anonymous objects, records), in declaration order.</summary>
    /// <example><c>Table.From(runs.Select(r => new { method = r.Method, auc = r.Test.Metrics["auc"] }))</c></example>
    public static Table From<T>(IEnumerable<T> rows, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var properties = Properties(typeof(T));
        var list = rows.Select(row => (IReadOnlyList<object?>)properties.Select(p => row is null ? null : p.GetValue(row)).ToArray()).ToArray();
        return new Table(properties.Select(p => p.Name).ToArray(), list, caption);
    }

    /// <summary>One row per public property of one object: its name and its value.</summary>
    /// <example><c>Table.Fields(new { test_auc = 0.98, test_f1 = 0.95 })</c></example>
    public static Table Fields<T>(T item, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        var rows = Properties(item.GetType()).Select(p => (IReadOnlyList<object?>)[p.Name, p.GetValue(item)]).ToArray();
        return new Table(["quantity", "value"], rows, caption);
    }

    /// <summary>A results table: one row per method, its number of seeds, and each metric as mean ± std.</summary>
    /// <param name="rows">From <see cref="ResultSummary.ByMethod"/> or another summary.</param>
    /// <param name="caption">Optional caption.</param>
    public static Table Results(IReadOnlyList<ResultRow> rows, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("No result rows: summarise some runs first (ResultSummary.ByMethod).", nameof(rows));
        string[] metrics = rows[0].Metrics.Keys.ToArray();
        foreach (var row in rows)
            if (!metrics.All(row.Metrics.ContainsKey))
                throw new ArgumentException(
                    $"Method '{row.Method}' lacks metric(s) {string.Join(", ", metrics.Where(m => !row.Metrics.ContainsKey(m)))}: summarise every method with the same metrics.",
                    nameof(rows));
        var values = rows.Select(r => (IReadOnlyList<object?>)[r.Method, r.Metrics[metrics[0]].Count, .. metrics.Select(m => (object?)r.Metrics[m])]).ToArray();
        return new Table(["method", "seeds", .. metrics], values, caption);
    }

    /// <summary>How a cell value is shown (see the remarks of the class).</summary>
    public static string Format(object? value) => value switch
    {
        null => "",
        string s => s,
        bool b => b ? "true" : "false",
        MeanStd m => m.ToString(),
        double d => Number(d),
        float f => Number(f),
        decimal d => Number((double)d),
        byte or sbyte or short or ushort or int or uint or long or ulong => ((IFormattable)value).ToString("#,0", CultureInfo.InvariantCulture),
        Enum e => e.ToString(),
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Format)),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>The table as an HTML <c>table</c> element (numbers right-aligned).</summary>
    public string ToHtml()
    {
        var html = new StringBuilder("<table class=\"distill-table\">");
        if (Caption is not null) html.Append("<caption style=\"text-align: left; font-weight: bold\">").Append(Encode(Caption)).Append("</caption>");
        html.Append("<thead><tr>");
        foreach (string column in Columns) html.Append("<th style=\"text-align: left\">").Append(Encode(column)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in Values)
        {
            html.Append("<tr>");
            foreach (object? value in row)
                html.Append(IsNumeric(value) ? "<td style=\"text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap\">" : "<td style=\"text-align: left\">")
                    .Append(Encode(Format(value))).Append("</td>");
            html.Append("</tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    /// <summary>The table as aligned plain text (header, rule, rows), for consoles and plain-text front ends.</summary>
    public override string ToString()
    {
        var cells = Values.Select(row => row.Select(Format).ToArray()).ToArray();
        int[] widths = Columns.Select((c, i) => Math.Max(c.Length, cells.Length == 0 ? 0 : cells.Max(r => r[i].Length))).ToArray();
        string Line(IReadOnlyList<string> row, IReadOnlyList<object?>? raw) => string.Join("  ", row.Select((cell, i) =>
            raw is not null && IsNumeric(raw[i]) ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]))).TrimEnd();
        var lines = new List<string>();
        if (Caption is not null) lines.Add(Caption);
        lines.Add(Line(Columns, null));
        lines.Add(string.Join("  ", widths.Select(w => new string('-', w))));
        lines.AddRange(cells.Select((row, r) => Line(row, Values[r])));
        return string.Join("\n", lines);
    }

    private static PropertyInfo[] Properties(Type type)
    {
        var properties = type == typeof(string) ? []
            : type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0).ToArray();
        if (properties.Length == 0)
            throw new ArgumentException(
                $"{type.Name} has no public properties to make columns of: select an anonymous object, e.g. rows.Select(r => new {{ name = r.Name, auc = r.Auc }}).");
        return properties;
    }

    // 4 decimals for metrics and losses; scientific notation where 4 decimals would hide the value (|x| < 1e-3) or
    // carry digits that do not matter (|x| ≥ 1e6).
    private static string Number(double x) =>
        double.IsNaN(x) ? "NaN"
        : double.IsInfinity(x) ? (x > 0 ? "∞" : "−∞")
        : x == 0 ? "0"
        : Math.Abs(x) is >= 1e-3 and < 1e6 ? x.ToString("F4", CultureInfo.InvariantCulture)
        : x.ToString("0.0##e+00", CultureInfo.InvariantCulture);

    private static bool IsNumeric(object? value) =>
        value is byte or sbyte or short or ushort or int or uint or long or ulong or float or double or decimal or MeanStd;

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
