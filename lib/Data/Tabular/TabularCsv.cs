using System.Globalization;
using System.IO.Compression;

namespace Distill.Data.Tabular;

/// <summary>Reads numeric CSV tables whose last column is the class label; every value is checked.</summary>
/// <remarks>
/// Two layouts are supported: scikit-learn's bundled-data header (<c>rows,features,class0,class1,...</c>
/// on the first line, used by the UCI breast-cancer copy) and a plain table without header (UCI digits).
/// A file ending in <c>.gz</c> is decompressed on the fly. Rows of the wrong length, unparsable values, values that are
/// not finite as float32 (<c>1e39</c> is a finite double but an infinite float), labels outside the class list, row
/// counts that disagree with the header and files without data rows are <see cref="InvalidFileException"/>s that name
/// the file, the line and the column.
/// </remarks>
public static class TabularCsv
{
    /// <summary>Reads a table with scikit-learn's header line <c>rows,features,class names...</c>.</summary>
    public static TabularTable ReadWithSklearnHeader(string path, string name, IReadOnlyList<string> featureNames)
    {
        var lines = ReadLines(path);
        if (lines.Count == 0) throw Bad(path, $"{path} is empty; expected a header line 'rows,features,class names...'.");
        string[] header = lines[0].Split(',');
        if (header.Length < 4 || !int.TryParse(header[0], NumberStyles.None, CultureInfo.InvariantCulture, out int rows)
            || !int.TryParse(header[1], NumberStyles.None, CultureInfo.InvariantCulture, out int features))
            throw Bad(path, $"{path} line 1: expected 'rows,features,class0,class1,...' but found '{Shorten(lines[0])}'.");
        if (features != featureNames.Count)
            throw Bad(path, $"{path} line 1: the header declares {features} features but {name} has {featureNames.Count} named features.");
        var table = Parse(path, name, lines, firstDataLine: 1, featureNames, header[2..]);
        if (table.RowCount != rows)
            throw Bad(path, $"{path}: the header declares {rows} rows but the file has {table.RowCount}; the file is truncated or was edited.");
        return table;
    }

    /// <summary>Reads a table without header: feature columns then an integer class label.</summary>
    public static TabularTable ReadPlain(string path, string name, IReadOnlyList<string> featureNames, IReadOnlyList<string> classNames)
        => Parse(path, name, ReadLines(path), firstDataLine: 0, featureNames, classNames);

    private static List<string> ReadLines(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Table file '{path}' does not exist.", path);
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        var lines = new List<string>();
        try
        {
            for (string? line = reader.ReadLine(); line != null; line = reader.ReadLine())
                if (line.Trim().Length > 0) lines.Add(line);
        }
        catch (InvalidDataException e)
        {
            throw new InvalidFileException(path, $"{path} is not a valid gzip file ({e.Message}); download it again.", e);
        }
        return lines;
    }

    private static TabularTable Parse(string path, string name, List<string> lines, int firstDataLine,
                                      IReadOnlyList<string> featureNames, IReadOnlyList<string> classNames)
    {
        int width = featureNames.Count;
        var features = new List<float[]>(lines.Count);
        var labels = new List<int>(lines.Count);
        for (int l = firstDataLine; l < lines.Count; l++)
        {
            string[] cells = lines[l].Split(',');
            if (cells.Length != width + 1)
                throw Bad(path, $"{path} line {l + 1}: {cells.Length} columns, expected {width} features and a label.");
            var row = new float[width];
            for (int c = 0; c < width; c++)
            {
                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !float.IsFinite((float)value))
                    throw Bad(path,
                        $"{path} line {l + 1}, column {c + 1} ('{featureNames[c]}'): '{Shorten(cells[c])}' is not a number within float32's range " +
                        $"(±{float.MaxValue:E2}). Fix or drop that row.");
                row[c] = (float)value;
            }
            if (!int.TryParse(cells[width], NumberStyles.Integer, CultureInfo.InvariantCulture, out int label) || label < 0 || label >= classNames.Count)
                throw Bad(path,
                    $"{path} line {l + 1}: label '{Shorten(cells[width])}' is not a class index in 0..{classNames.Count - 1}" +
                    (firstDataLine == 1 ? $" (the header names {classNames.Count} classes: {string.Join(", ", classNames)})." : "."));
            features.Add(row);
            labels.Add(label);
        }
        if (features.Count == 0)
            throw Bad(path, $"{path} has no data rows{(firstDataLine == 1 ? " after its header" : "")}; expected one row per sample.");
        return new TabularTable(name, features.ToArray(), labels.ToArray(), featureNames, classNames);
    }

    private static InvalidFileException Bad(string path, string message) => new(path, message);

    // A damaged file can hold a megabyte on one line, or control bytes: messages quote at most 40 characters of it.
    private static string Shorten(string text)
    {
        string printable = new(text.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return text.Length > 40 ? printable + "..." : printable;
    }
}
