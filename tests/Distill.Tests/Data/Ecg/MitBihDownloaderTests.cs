using Distill.Data;
using Distill.Data.Ecg;

namespace Distill.Tests.Data.Ecg;

/// <summary>The downloader against a local HTTP server serving record 100 (no internet needed).</summary>
public class MitBihDownloaderTests
{
    private static Dictionary<string, byte[]> Record100() => PhysioNetRecord100.Files();

    private sealed class Recorder : IProgress<MitBihDownloadProgress>
    {
        public List<MitBihDownloadProgress> Reports { get; } = [];
        public void Report(MitBihDownloadProgress value) => Reports.Add(value);
    }

    [Fact]
    public async Task DownloadsVerifiesAndThenSkipsAPresentRecord()
    {
        using var server = new LoopbackFileServer(Record100());
        using var cache = new TempFolder();
        var options = new MitBihDownloadOptions(cache.Path) { BaseUrl = server.BaseUrl, Records = ["100"] };
        var progress = new Recorder();

        var report = await new MitBihDownloader().DownloadAsync(options, progress);
        Assert.Equal(["100"], report.Downloaded);
        Assert.Empty(report.AlreadyPresent);
        foreach (var (name, bytes) in Record100()) Assert.Equal(bytes, File.ReadAllBytes(cache.File(name)));
        Assert.Equal(["100.hea", "100.dat", "100.atr"], server.Requests);
        var dat = progress.Reports.Where(p => p.File == "100.dat").ToList();
        Assert.Equal(1950000, dat[^1].BytesReceived);
        Assert.Equal(1950000, dat[^1].TotalBytes);
        Assert.Equal(1, progress.Reports[^1].RecordsDone);

        var again = await new MitBihDownloader().DownloadAsync(options);
        Assert.Equal(["100"], again.AlreadyPresent);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task ResumesAPartialFileWithARangeRequest()
    {
        using var server = new LoopbackFileServer(Record100());
        using var cache = new TempFolder();
        byte[] dat = Record100()["100.dat"];
        File.WriteAllBytes(cache.File("100.dat.part"), dat[..1_000_000]);
        var options = new MitBihDownloadOptions(cache.Path) { BaseUrl = server.BaseUrl, Records = ["100"] };

        await new MitBihDownloader().DownloadAsync(options);
        Assert.Contains("100.dat bytes=1000000-", server.Requests);
        Assert.Equal(dat, File.ReadAllBytes(cache.File("100.dat")));
        Assert.False(File.Exists(cache.File("100.dat.part")));
    }

    [Fact]
    public async Task AServerIgnoringRangeRestartsTheFileInsteadOfAppending()
    {
        using var server = new LoopbackFileServer(Record100(), honourRange: false);
        using var cache = new TempFolder();
        byte[] dat = Record100()["100.dat"];
        File.WriteAllBytes(cache.File("100.dat.part"), dat[..1_000_000]);
        var options = new MitBihDownloadOptions(cache.Path) { BaseUrl = server.BaseUrl, Records = ["100"] };

        await new MitBihDownloader().DownloadAsync(options);
        Assert.Contains("100.dat bytes=1000000-", server.Requests);
        Assert.Equal(dat, File.ReadAllBytes(cache.File("100.dat")));
    }

    [Theory]
    [InlineData("100.dat", 123456)] // one sample: the header's 16-bit sum would catch it too
    [InlineData("100.atr", 1001)]   // an annotation's interval: well-formed, only the SHA-256 sees it
    public async Task CorruptDownloadFailsPhysioNetsSha256AndIsRemoved(string file, int position)
    {
        var files = Record100();
        files[file][position] ^= 0x10;
        using var server = new LoopbackFileServer(files);
        using var cache = new TempFolder();
        var options = new MitBihDownloadOptions(cache.Path) { BaseUrl = server.BaseUrl, Records = ["100"] };

        var error = await Assert.ThrowsAsync<WfdbFormatException>(() => new MitBihDownloader().DownloadAsync(options));
        Assert.Contains("not PhysioNet's " + MitBihChecksums.Sha256[file], error.Message);
        Assert.EndsWith(file, error.FilePath);
        Assert.False(File.Exists(cache.File(file)));
        Assert.False(File.Exists(cache.File(file + ".part")));
    }

    [Fact]
    public void AFlippedAnnotationByteReadsWithoutErrorSoTheSha256IsWhatCatchesIt()
    {
        // The premise of shipping PhysioNet's sums: this damage passes every check the WFDB format allows.
        using var folder = PhysioNetRecord100.Folder();
        int before = EcgRecord.ReadWfdb(folder.Path, "100").Annotations.Count;
        byte[] atr = File.ReadAllBytes(folder.File("100.atr"));
        atr[1001] ^= 0x10;
        File.WriteAllBytes(folder.File("100.atr"), atr);
        var damaged = EcgRecord.ReadWfdb(folder.Path, "100");
        Assert.Equal(before, damaged.Annotations.Count);
        Assert.Equal(MitBihFileStatus.Altered, MitBihChecksums.Check(folder.Path, "100.atr").Status);
        Assert.Equal(MitBihFileStatus.Intact, MitBihChecksums.Check(folder.Path, "100.dat").Status);
    }

    [Fact]
    public async Task APresentButAlteredRecordIsFetchedAgain()
    {
        using var server = new LoopbackFileServer(Record100());
        using var cache = PhysioNetRecord100.Folder();
        byte[] atr = File.ReadAllBytes(cache.File("100.atr"));
        atr[1001] ^= 0x10;
        File.WriteAllBytes(cache.File("100.atr"), atr);
        var options = new MitBihDownloadOptions(cache.Path) { BaseUrl = server.BaseUrl, Records = ["100"] };

        var report = await new MitBihDownloader().DownloadAsync(options);
        Assert.Equal(["100"], report.Downloaded);
        Assert.Equal(Record100()["100.atr"], File.ReadAllBytes(cache.File("100.atr")));
    }

    [Fact]
    public void TheShippedSumsCoverEveryDownloadedFileAndMatchTheEmbeddedRecord()
    {
        Assert.Equal(144, MitBihChecksums.Sha256.Count);
        Assert.All(MitBih.Records, r => Assert.All(MitBih.Extensions, e => Assert.True(MitBihChecksums.Sha256.ContainsKey($"{r}.{e}"))));
        using var folder = PhysioNetRecord100.Folder();
        Assert.All(MitBihChecksums.Verify(folder.Path, ["100"]), c => Assert.Equal(MitBihFileStatus.Intact, c.Status));
        // The embedded header differs from PhysioNet's on purpose (data/mitdb/README.md): the sums tell them apart.
        Assert.Equal(MitBihFileStatus.Altered, MitBihChecksums.Check(Path.GetDirectoryName(ProjectData.File("mitdb", "100.hea"))!, "100.hea").Status);
    }

    [Fact]
    public async Task OfflineGivesAClearError()
    {
        using var cache = new TempFolder();
        var url = new Uri($"http://127.0.0.1:{LoopbackFileServer.FreePort()}/mitdb/1.0.0/");
        var options = new MitBihDownloadOptions(cache.Path) { BaseUrl = url, Records = ["100"] };
        var error = await Assert.ThrowsAsync<IOException>(() => new MitBihDownloader().DownloadAsync(options));
        Assert.Contains("offline", error.Message);
        Assert.Contains(url + "100.hea", error.Message);
    }

    [Fact]
    public void SourceUsesTheFullDatabaseOnlyWhenEveryRecordIsThere()
    {
        using var cache = new TempFolder();
        var embedded = MitBihSource.Locate(cache.Path);
        Assert.False(embedded.IsFullDatabase);
        Assert.Equal(["100"], embedded.Records);
        Assert.Contains("Embedded MIT-BIH record 100", embedded.Description);
        Assert.Equal(2271, embedded.Segment().Beats.Count);

        foreach (var record in MitBih.Records)
            foreach (var ext in MitBih.Extensions)
                File.WriteAllBytes(cache.File($"{record}.{ext}"), []);
        var full = MitBihSource.Locate(cache.Path);
        Assert.True(full.IsFullDatabase);
        Assert.Equal(44, full.Records.Count);
        Assert.DoesNotContain("102", full.Records);
        Assert.Contains("Full MIT-BIH", full.Description);
    }

    [Fact]
    public void RecordListsMatchTheDatabase()
    {
        Assert.Equal(48, MitBih.Records.Distinct().Count());
        Assert.Equal(["102", "104", "107", "217"], MitBih.PacedRecords);
        Assert.All(MitBih.PacedRecords, r => Assert.Contains(r, MitBih.Records));
    }
}
