using System.Globalization;
using System.IO.Compression;

namespace Distill.Data.Tabular;

/// <summary>Reads numeric CSV tables whose last column is the class label; every value is checked.</summary>
/// <remarks>
/// Two layouts are supported: scikit-learn's bundled-data header (<c>rows,features,class0,class1,...</c>
/// on the first line, used by the UCI breast-cancer copy) and a plain table without header (UCI digits).
/// A file ending in <c>.gz</c> is decompressed on the fly. Rows of the wrong length, unparsable or non-finite
/// values, labels outside the class list and row counts that disagree with the header are errors that name
/// the file, the line and the column.
/// </remarks>
public static class TabularCsv
{
    /// <summary>Reads a table with scikit-learn's header line <c>rows,features,class names...</c>.</summary>
    public static TabularTable ReadWithSklearnHeader(string path, string name, IReadOnlyList<string> featureNames)
    {
        var lines = ReadLines(path);
        if (lines.Count == 0) throw new InvalidDataException($"{path} is empty; expected a header line 'rows,features,class names...'.");
        string[] header = lines[0].Split(',');
        if (header.Length < 4 || !int.TryParse(header[0], out int rows) || !int.TryParse(header[1], out int features))
            throw new InvalidDataException($"{path} line 1: expected 'rows,features,class0,class1,...' but found '{lines[0]}'.");
        if (features != featureNames.Count)
            throw new InvalidDataException($"{path} line 1: the header declares {features} features but {name} has {featureNames.Count} named features.");
        var table = Parse(path, name, lines, firstDataLine: 1, featureNames, header[2..]);
        if (table.RowCount != rows)
            throw new InvalidDataException($"{path}: the header declares {rows} rows but the file has {table.RowCount}; the file is truncated or was edited.");
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
            throw new InvalidDataException($"{path} is not a valid gzip file ({e.Message}); download it again.", e);
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
                throw new InvalidDataException($"{path} line {l + 1}: {cells.Length} columns, expected {width} features and a label.");
            var row = new float[width];
            for (int c = 0; c < width; c++)
            {
                if (!double.TryParse(cells[c], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
                    throw new InvalidDataException(
                        $"{path} line {l + 1}, column {c + 1} ('{featureNames[c]}'): '{cells[c]}' is not a finite number. Fix or drop that row.");
                row[c] = (float)value;
            }
            if (!int.TryParse(cells[width], NumberStyles.Integer, CultureInfo.InvariantCulture, out int label) || label < 0 || label >= classNames.Count)
                throw new InvalidDataException(
                    $"{path} line {l + 1}: label '{cells[width]}' is not a class index in 0..{classNames.Count - 1}.");
            features.Add(row);
            labels.Add(label);
        }
        return new TabularTable(name, features.ToArray(), labels.ToArray(), featureNames, classNames);
    }
}
