namespace Distill.Data.Ecg;

/// <summary>Facts about the MIT-BIH Arrhythmia Database (PhysioNet mitdb 1.0.0) that loaders need.</summary>
/// <remarks>
/// Moody G.B., Mark R.G., "The impact of the MIT-BIH Arrhythmia Database", IEEE Eng. in Medicine and Biology 20(3),
/// 2001; Goldberger A.L. et al., "PhysioBank, PhysioToolkit, and PhysioNet", Circulation 101(23), 2000.
/// 48 half-hour two-lead records at 360 Hz; the database is published under ODC-BY 1.0.
/// </remarks>
public static class MitBih
{
    /// <summary>The 48 record names.</summary>
    public static IReadOnlyList<string> Records { get; } =
    [
        "100", "101", "102", "103", "104", "105", "106", "107", "108", "109",
        "111", "112", "113", "114", "115", "116", "117", "118", "119",
        "121", "122", "123", "124",
        "200", "201", "202", "203", "205", "207", "208", "209", "210",
        "212", "213", "214", "215", "217", "219", "220", "221", "222", "223",
        "228", "230", "231", "232", "233", "234",
    ];

    /// <summary>Records with paced beats, which AAMI practice (and BeatGAN) exclude: 102, 104, 107, 217.</summary>
    public static IReadOnlyList<string> PacedRecords { get; } = ["102", "104", "107", "217"];

    /// <summary>The 44 records BeatGAN segments: all but the paced ones.</summary>
    public static IReadOnlyList<string> BeatGanRecords { get; } = Records.Except(PacedRecords).ToList();

    /// <summary>The files each record consists of.</summary>
    public static IReadOnlyList<string> Extensions { get; } = ["hea", "dat", "atr"];

    /// <summary>PhysioNet's address of the database files (<c>{base}{record}.hea</c> etc.).</summary>
    public static Uri PhysioNetBase { get; } = new("https://physionet.org/files/mitdb/1.0.0/");

    /// <summary>Environment variable naming the cache folder of the full database.</summary>
    public const string CacheVariable = "DISTILL_MITDB";

    /// <summary>Where the full database is cached: <c>$DISTILL_MITDB</c>, else <c>~/.cache/distill/mitdb</c>.</summary>
    public static string DefaultCacheFolder =>
        Environment.GetEnvironmentVariable(CacheVariable) is { Length: > 0 } folder
            ? folder
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "distill", "mitdb");
}

/// <summary>The MIT-BIH records available to this process: the full database when cached, else the embedded record 100.</summary>
/// <param name="Folder">Folder holding the records' files.</param>
/// <param name="Records">Records BeatGAN uses from that folder (paced records excluded).</param>
/// <param name="IsFullDatabase">True when all 48 records are present in the cache folder.</param>
public sealed record MitBihSource(string Folder, IReadOnlyList<string> Records, bool IsFullDatabase)
{
    /// <summary>One sentence saying which data is used and how to get the full database.</summary>
    public string Description => IsFullDatabase
        ? $"Full MIT-BIH Arrhythmia Database: {Records.Count} records (paced 102, 104, 107, 217 excluded) from {Folder}."
        : Folder != EmbeddedFolder
        ? $"MIT-BIH records {string.Join(", ", Records)} from {Folder}."
        : $"Embedded MIT-BIH record 100 only ({Folder}); the full database was not found. " +
          $"Fetch it with MitBihDownloader into {MitBih.DefaultCacheFolder} (or set {MitBih.CacheVariable}).";

    /// <summary>Uses the full database in <paramref name="cacheFolder"/> (default <see cref="MitBih.DefaultCacheFolder"/>) when every file is there, the embedded record 100 otherwise.</summary>
    public static MitBihSource Locate(string? cacheFolder = null)
    {
        string folder = cacheFolder ?? MitBih.DefaultCacheFolder;
        bool complete = MitBih.Records.All(r => MitBih.Extensions.All(e => File.Exists(Path.Combine(folder, $"{r}.{e}"))));
        return complete
            ? new MitBihSource(folder, MitBih.BeatGanRecords, true)
            : new MitBihSource(EmbeddedFolder, ["100"], false);
    }

    /// <summary>Uses exactly <paramref name="records"/>: from <paramref name="cacheFolder"/> (default
    /// <see cref="MitBih.DefaultCacheFolder"/>) when all their files are there, else record 100 from the embedded copy.</summary>
    /// <exception cref="ArgumentException">A name is not an MIT-BIH record, or the list is empty or repeats a record.</exception>
    /// <exception cref="FileNotFoundException">Some records are neither cached nor embedded; the message lists them and
    /// says how to download them.</exception>
    public static MitBihSource Require(IReadOnlyList<string> records, string? cacheFolder = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0) throw new ArgumentException("Name at least one MIT-BIH record (for example 100).", nameof(records));
        var unknown = records.Where(r => !MitBih.Records.Contains(r)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Not MIT-BIH records: {string.Join(", ", unknown)}. The database has records 100-234: {string.Join(" ", MitBih.Records)}.", nameof(records));
        if (records.Distinct().Count() != records.Count)
            throw new ArgumentException($"The record list repeats a record ({string.Join(", ", records)}); each beat would be counted twice.", nameof(records));
        string folder = cacheFolder ?? MitBih.DefaultCacheFolder;
        bool IsCached(string r) => MitBih.Extensions.All(e => File.Exists(Path.Combine(folder, $"{r}.{e}")));
        if (records.All(IsCached)) return new MitBihSource(folder, records.ToArray(), false);
        if (records.SequenceEqual(["100"]))
            return new MitBihSource(EmbeddedFolder, ["100"], false);
        var missing = records.Where(r => !IsCached(r)).ToList();
        throw new FileNotFoundException(
            $"MIT-BIH records {string.Join(", ", missing)} are not in {folder}. Download them with " +
            $"'distill data mitbih --download --cache {folder}' (or MitBihDownloader), or set {MitBih.CacheVariable}; only record 100 is embedded.");
    }

    /// <summary>Whether these are the repository's own embedded records rather than a downloaded cache.</summary>
    public bool IsEmbedded => Folder == EmbeddedFolder;

    private static string EmbeddedFolder => Path.GetDirectoryName(ProjectData.File("mitdb", "100.hea"))!;

    /// <summary>Reads every record (verifying checksums) in record order.</summary>
    public IEnumerable<EcgRecord> ReadRecords() => Records.Select(r => EcgRecord.ReadWfdb(Folder, r));

    /// <summary>Segments every record into BeatGAN beats (by default with the BeatGAN authors' protocol).</summary>
    /// <param name="options">Segmentation options (<see cref="BeatSegmentationOptions.BeatGanAuthors"/> when null).</param>
    /// <param name="progress">Told after each record: records done, total, the record, elapsed time.</param>
    public BeatSegmentation Segment(BeatSegmentationOptions? options = null, IProgress<MitBihSegmentationProgress>? progress = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var parts = new List<BeatSegmentation>();
        foreach (var record in ReadRecords())
        {
            parts.Add(BeatSegmenter.Segment(record, options));
            progress?.Report(new MitBihSegmentationProgress(parts.Count, Records.Count, record.Name, parts[^1].Beats.Count, clock.Elapsed));
        }
        return BeatSegmentation.Concat(parts);
    }
}

/// <summary>Progress of <see cref="MitBihSource.Segment"/>.</summary>
/// <param name="RecordsDone">Records segmented so far.</param>
/// <param name="RecordsTotal">Records to segment.</param>
/// <param name="Record">The record just segmented.</param>
/// <param name="Beats">Beats kept from it.</param>
/// <param name="Elapsed">Time since segmentation started.</param>
public sealed record MitBihSegmentationProgress(int RecordsDone, int RecordsTotal, string Record, int Beats, TimeSpan Elapsed)
{
    /// <summary>Remaining time if the other records take as long on average.</summary>
    public TimeSpan Remaining => RecordsDone == 0 ? TimeSpan.Zero : Elapsed / RecordsDone * (RecordsTotal - RecordsDone);
}
