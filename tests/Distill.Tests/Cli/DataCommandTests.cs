using Distill.Cli;
using Distill.Data;
using Distill.Tests.Data.Ecg;
using static Distill.Tests.Cli.CliRun;

namespace Distill.Tests.Cli;

public class DataCommandTests
{
    [Fact]
    public void WithoutTheFullDatabaseItSaysTheEmbeddedRecordIsUsed()
    {
        using var empty = new TempFolder();
        var (code, output) = RunCombined("data", "mitbih", "--cache", empty.Path);
        Assert.Equal(0, code);
        Assert.Contains("Embedded MIT-BIH record 100 only", output);
    }

    [Fact]
    public void DownloadFetchesFromTheServerAndReportsAMissingRecordAsBadData()
    {
        // A loopback server holding only record 100: the download fetches it, then fails clearly on record 101.
        var files = PhysioNetRecord100.Files();
        using var server = new LoopbackFileServer(files);
        using var cache = new TempFolder();
        var (code, output) = RunCombined("data", "mitbih", "--download", "--cache", cache.Path, "--base-url", server.BaseUrl.ToString());
        Assert.True(code == 3, output);
        Assert.Contains("101", output);
        Assert.Equal(File.ReadAllBytes(ProjectData.File("mitdb", "100.dat")), File.ReadAllBytes(cache.File("100.dat")));
    }

    [Fact]
    public void ACachedFileThatFailsItsSha256IsReportedAsBadDataWithTheFix()
    {
        using var cache = PhysioNetRecord100.Folder();
        byte[] atr = File.ReadAllBytes(cache.File("100.atr"));
        atr[1001] ^= 0x10;
        File.WriteAllBytes(cache.File("100.atr"), atr);
        var (code, output) = RunCombined("data", "mitbih", "--cache", cache.Path);
        Assert.True(code == 3, output);
        Assert.Contains("100.atr (altered)", output);
        Assert.DoesNotContain("100.dat (altered)", output);
        Assert.Contains("distill data mitbih --download --cache", output);
    }

    [Fact]
    public void APartialCacheSaysHowManyFilesAreMissing()
    {
        using var cache = PhysioNetRecord100.Folder();
        var (code, output) = RunCombined("data", "mitbih", "--cache", cache.Path);
        Assert.True(code == 0, output);
        Assert.Contains("141 of 144 files are missing", output);
    }

    [Fact]
    public void ABadBaseUrlIsBadUsage()
    {
        var (code, output) = RunCombined("data", "mitbih", "--download", "--base-url", "not a url");
        Assert.Equal(2, code);
        Assert.Contains("--base-url must be an absolute http(s) address", output);
    }

    [Fact]
    public void ExportFoldWritesTheFoldAsNumPyFiles()
    {
        using var folder = new TempFolder();
        var (code, output) = RunCombined("data", "mitbih", "--records", "100", "--export-fold", "2", "--out", folder.Path);
        Assert.True(code == 0, output);
        Assert.Contains("[1/1] record 100: 2271 beats", output);
        Assert.Contains("Segmentation: authors", output);
        Assert.Contains("fold 2 written to", output);
        foreach (var split in new[] { "train", "validation", "test" })
            foreach (var what in new[] { "x", "y", "class", "record", "sample" })
                Assert.True(File.Exists(folder.File($"{split}_{what}.npy")), $"{split}_{what}.npy");
        Assert.Contains("\"fold\": 2", File.ReadAllText(folder.File("fold.json")));
    }

    [Fact]
    public void ExportFoldWithMaxTrainBeatsWritesTheFirstTrainingBeatsOfTheFullExport()
    {
        using var all = new TempFolder();
        using var capped = new TempFolder();
        Assert.Equal(0, RunCombined("data", "mitbih", "--records", "100", "--export-fold", "0", "--out", all.Path).Code);
        var (code, output) = RunCombined("data", "mitbih", "--records", "100", "--export-fold", "0", "--max-train-beats", "64", "--out", capped.Path);
        Assert.True(code == 0, output);
        var full = Distill.Data.Npy.NpyReader.Read(all.File("train_x.npy"));
        var part = Distill.Data.Npy.NpyReader.Read(capped.File("train_x.npy"));
        Assert.Equal([64, 2, 320], part.Shape);
        Assert.Equal(full.Data.Take(64 * 640), part.Data);
        Assert.Equal(File.ReadAllBytes(all.File("test_x.npy")), File.ReadAllBytes(capped.File("test_x.npy")));
    }

    [Theory]
    [InlineData(new[] { "--export-fold", "0" }, "--export-fold needs --out")]
    [InlineData(new[] { "--export-fold", "5", "--out", "x" }, "fold number 0-4")]
    [InlineData(new[] { "--records", "100" }, "--records applies to --export-fold only")]
    [InlineData(new[] { "--max-train-beats", "64" }, "--max-train-beats applies to --export-fold only")]
    [InlineData(new[] { "--export-fold", "0", "--out", "x", "--max-train-beats", "0" }, "--max-train-beats")]
    [InlineData(new[] { "--export-fold", "0", "--out", "x", "--segmentation", "mine" }, "--segmentation must be 'authors' or 'annotations'")]
    public void ExportOptionsAreChecked(string[] arguments, string message)
    {
        var (code, output) = RunCombined(["data", "mitbih", .. arguments]);
        Assert.Equal(2, code);
        Assert.Contains(message, output);
    }

    [Fact]
    public void ExportingWithoutTheRecordsIsBadData()
    {
        using var empty = new TempFolder();
        var (code, output) = RunCombined("data", "mitbih", "--cache", empty.Path, "--export-fold", "0", "--out", empty.File("fold"));
        Assert.True(code == 3, output);
        Assert.Contains("--download", output);
    }
}
