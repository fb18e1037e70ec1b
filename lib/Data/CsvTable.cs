using System.Globalization;
using System.Text;

namespace Distill.Data;

/// <summary>A comma-separated table with a header line, read by column name (fields may be quoted as RFC 4180 allows:
/// <c>"nz 16, ngf 8"</c>, with <c>""</c> for a quote inside).</summary>
/// <remarks>Reads what the command line writes (<c>beatgan-runs.csv</c>, <c>beatgan-history.csv</c>, <c>beatgan-scores.csv</c>)
/// so that notebooks and scripts look values up by the column's name, not its position. Every problem (a missing column,
/// a row with the wrong number of fields, a field that is not a number) is an <see cref="InvalidFileException"/> naming
/// the file, the line and the column.</remarks>
public sealed class CsvTable
{
    private readonly Dictionary<string, int> index;
    private readonly IReadOnlyList<string[]> rows;

    private CsvTable(string path, string[] columns, IReadOnlyList<string[]> rows)
    {
        FilePath = path;
        Columns = columns;
        this.rows = rows;
        index = columns.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i, StringComparer.Ordinal);
    }

    /// <summary>The file read.</summary>
    public string FilePath { get; }

    /// <summary>The header's column names, in order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Number of rows after the header.</summary>
    public int Count => rows.Count;

    /// <summary>Reads <paramref name="path"/>: a header line, then one row per line, every row as many fields as the header.</summary>
    public static CsvTable Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such file. Check the path (results are written by the command line's --out).", path);
        string[] lines = File.ReadAllLines(path, Encoding.UTF8);
        if (lines.Length == 0 || lines[0].Length == 0)
            throw InvalidFileException.Of(path, "is empty or has no header line", "Write it again with the command that produced it");
        string[] header = Fields(path, 1, lines[0]);
        if (header.Distinct(StringComparer.Ordinal).Count() != header.Length)
            throw InvalidFileException.Of(path, "names a column twice in its header", "Write it again with the command that produced it");
        var rows = new List<string[]>(lines.Length - 1);
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 && i == lines.Length - 1) break;
            string[] fields = Fields(path, i + 1, lines[i]);
            if (fields.Length != header.Length)
                throw InvalidFileException.Of(path, $"line {i + 1} has {fields.Length} fields where the header has {header.Length}",
                                              "The file is truncated or was edited; write it again with the command that produced it");
            rows.Add(fields);
        }
        return new CsvTable(path, header, rows);
    }

    /// <summary>Whether the header names <paramref name="column"/>.</summary>
    public bool Has(string column) => index.ContainsKey(column);

    /// <summary>The text of <paramref name="column"/> in row <paramref name="row"/> (0-based, after the header).</summary>
    public string Text(int row, string column)
    {
        if (row < 0 || row >= rows.Count) throw new ArgumentOutOfRangeException(nameof(row), $"Row {row} is outside 0..{rows.Count - 1} of {FilePath}.");
        if (!index.TryGetValue(column, out int c))
            throw InvalidFileException.Of(FilePath, $"has no column '{column}' (it has {string.Join(", ", Columns)})",
                                          "Write it with a version of the command that writes that column");
        return rows[row][c];
    }

    /// <summary>The number in <paramref name="column"/> of row <paramref name="row"/>; an empty field is NaN (a figure that
    /// does not exist, such as the recall of a class the data lack).</summary>
    public double Number(int row, string column)
    {
        string text = Text(row, column);
        if (text.Length == 0) return double.NaN;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ? value
            : throw InvalidFileException.Of(FilePath, $"line {row + 2}, column '{column}': '{text}' is not a number",
                                            "Write the file again with the command that produced it");
    }

    /// <summary>The whole number in <paramref name="column"/> of row <paramref name="row"/>.</summary>
    public long Integer(int row, string column)
    {
        string text = Text(row, column);
        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) ? value
            : throw InvalidFileException.Of(FilePath, $"line {row + 2}, column '{column}': '{text}' is not a whole number",
                                            "Write the file again with the command that produced it");
    }

    // One line's fields: commas separate, a field starting with a quote runs to its closing quote, "" is a quote inside.
    private static string[] Fields(string path, int line, string text)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        int i = 0;
        while (true)
        {
            field.Clear();
            if (i < text.Length && text[i] == '"')
            {
                i++;
                while (true)
                {
                    if (i >= text.Length)
                        throw InvalidFileException.Of(path, $"line {line} has a quoted field without its closing quote",
                                                      "The file is truncated or was edited; write it again");
                    if (text[i] == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i += 2; }
                    else if (text[i] == '"') { i++; break; }
                    else field.Append(text[i++]);
                }
                if (i < text.Length && text[i] != ',')
                    throw InvalidFileException.Of(path, $"line {line} has text after a closing quote", "The file was edited; write it again");
            }
            else
                while (i < text.Length && text[i] != ',') field.Append(text[i++]);
            fields.Add(field.ToString());
            if (i >= text.Length) return fields.ToArray();
            i++; // the comma
        }
    }
}
