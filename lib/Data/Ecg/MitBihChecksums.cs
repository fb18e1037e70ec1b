using System.Security.Cryptography;

namespace Distill.Data.Ecg;

/// <summary>Whether a cached MIT-BIH file is the one PhysioNet publishes.</summary>
public enum MitBihFileStatus
{
    /// <summary>The file's SHA-256 equals PhysioNet's.</summary>
    Intact,

    /// <summary>The file is not in the folder.</summary>
    Missing,

    /// <summary>The file is there but its SHA-256 differs: it is damaged, truncated or another version.</summary>
    Altered,
}

/// <summary>The check of one cached MIT-BIH file.</summary>
/// <param name="File">File name, e.g. <c>100.atr</c>.</param>
/// <param name="Status">What the check found.</param>
public sealed record MitBihFileCheck(string File, MitBihFileStatus Status);

/// <summary>PhysioNet's SHA-256 sums of the MIT-BIH Arrhythmia Database files (mitdb 1.0.0), and the check of a cache
/// folder against them.</summary>
/// <remarks>
/// WFDB annotation files carry no checksum and the header's 16-bit sums cover only the samples, so a damaged
/// <c>.atr</c> (or a header with another gain) can read without error and give other beats. The sums PhysioNet publishes
/// (<c>SHA256SUMS.txt</c>, shipped as an embedded resource restricted to the 144 files the downloader fetches) catch
/// any change to any file. Hashing the whole database takes about a second.
/// </remarks>
public static class MitBihChecksums
{
    private const string Resource = "Distill.Data.Ecg.mitdb-1.0.0.SHA256SUMS";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Sums = new(Load);

    /// <summary>Lower-case hex SHA-256 of each database file, by file name (<c>100.hea</c>, <c>100.dat</c>, <c>100.atr</c>, ...).</summary>
    public static IReadOnlyDictionary<string, string> Sha256 => Sums.Value;

    /// <summary>Lower-case hex SHA-256 of the file at <paramref name="path"/>.</summary>
    public static string Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>Checks one file of <paramref name="folder"/> against PhysioNet's sum.</summary>
    /// <exception cref="ArgumentException"><paramref name="file"/> is not a file of the database.</exception>
    public static MitBihFileCheck Check(string folder, string file)
    {
        if (!Sha256.TryGetValue(file, out var expected))
            throw new ArgumentException($"'{file}' is not a file of MIT-BIH mitdb 1.0.0 (expected NNN.hea, NNN.dat or NNN.atr).", nameof(file));
        string path = Path.Combine(folder, file);
        if (!File.Exists(path)) return new MitBihFileCheck(file, MitBihFileStatus.Missing);
        return new MitBihFileCheck(file, Of(path) == expected ? MitBihFileStatus.Intact : MitBihFileStatus.Altered);
    }

    /// <summary>Checks every file of <paramref name="records"/> (default: all 48) in <paramref name="folder"/>, in record order.</summary>
    public static IReadOnlyList<MitBihFileCheck> Verify(string folder, IEnumerable<string>? records = null)
        => (records ?? MitBih.Records).SelectMany(r => MitBih.Extensions.Select(e => Check(folder, $"{r}.{e}"))).ToList();

    /// <summary>Throws when a file of <paramref name="records"/> in <paramref name="folder"/> is missing or altered.</summary>
    /// <exception cref="InvalidFileException">A file differs from PhysioNet's; the message lists every such file and the fix.</exception>
    public static void Require(string folder, IEnumerable<string> records)
    {
        var bad = Verify(folder, records).Where(c => c.Status != MitBihFileStatus.Intact).ToList();
        if (bad.Count == 0) return;
        throw new InvalidFileException(Path.Combine(folder, bad[0].File),
            $"MIT-BIH files in {folder} differ from PhysioNet's SHA-256 sums: {Describe(bad)}. They are damaged, truncated or of " +
            $"another version; run 'distill data mitbih --download --cache {folder}' to fetch them again (intact files are kept).");
    }

    /// <summary>"100.atr (altered), 101.dat (missing)".</summary>
    public static string Describe(IEnumerable<MitBihFileCheck> checks)
        => string.Join(", ", checks.Select(c => $"{c.File} ({c.Status.ToString().ToLowerInvariant()})"));

    private static IReadOnlyDictionary<string, string> Load()
    {
        using var stream = typeof(MitBihChecksums).Assembly.GetManifestResourceStream(Resource)
                           ?? throw new InvalidOperationException($"The embedded resource {Resource} is missing from Distill.Lib.");
        using var reader = new StreamReader(stream);
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var fields = line.Split(' ', 2);
            sums[fields[1]] = fields[0];
        }
        return sums;
    }
}
