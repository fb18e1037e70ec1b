using Distill.Data.Ecg;

namespace Distill.Tests.Data.Ecg;

public class MitBihSourceTests
{
    [Fact]
    public void RequiredRecordsComeFromTheCacheWhenAllAreThere()
    {
        using var cache = TempFolder.WithRecord100();
        foreach (var ext in MitBih.Extensions) File.WriteAllBytes(cache.File($"101.{ext}"), []);
        var source = MitBihSource.Require(["100", "101"], cache.Path);
        Assert.Equal(cache.Path, source.Folder);
        Assert.Equal(["100", "101"], source.Records);
        Assert.False(source.IsFullDatabase);
        Assert.Contains("MIT-BIH records 100, 101 from", source.Description);
    }

    [Fact]
    public void RecordHundredFallsBackToTheEmbeddedCopy()
    {
        using var empty = new TempFolder();
        var source = MitBihSource.Require(["100"], empty.Path);
        Assert.NotEqual(empty.Path, source.Folder);
        Assert.Contains("Embedded MIT-BIH record 100", source.Description);
        Assert.Equal(2271, source.Segment().Beats.Count);
    }

    [Fact]
    public void MissingRecordsAreListedWithTheDownloadCommand()
    {
        using var cache = TempFolder.WithRecord100();
        var error = Assert.Throws<FileNotFoundException>(() => MitBihSource.Require(["100", "201", "203"], cache.Path));
        Assert.Contains("201, 203", error.Message);
        Assert.DoesNotContain("100,", error.Message);
        Assert.Contains("distill data mitbih --download", error.Message);
    }

    [Theory]
    [InlineData(new string[0], "at least one")]
    [InlineData(new[] { "100", "999" }, "Not MIT-BIH records: 999")]
    [InlineData(new[] { "100", "100" }, "repeats")]
    public void BadRecordListsAreRefused(string[] records, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => MitBihSource.Require(records, Path.GetTempPath()));
        Assert.Contains(message, error.Message);
    }
}
