using Distill.Data;

namespace Distill.Tests.Data;

public sealed class CsvTableTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"distill-csv-{Guid.NewGuid():N}.csv");

    public void Dispose() => File.Delete(path);

    private CsvTable Write(string text)
    {
        File.WriteAllText(path, text);
        return CsvTable.Read(path);
    }

    [Fact]
    public void QuotedFieldsKeepTheirCommasAndQuotesAndColumnsAreFoundByName()
    {
        var table = Write("method,sizes,auc\nteacher,\"nz 50, ngf 32\",0.5\n\"say \"\"hi\"\"\",,1e-3\n");
        Assert.Equal(["method", "sizes", "auc"], table.Columns);
        Assert.Equal(2, table.Count);
        Assert.Equal("nz 50, ngf 32", table.Text(0, "sizes"));
        Assert.Equal("say \"hi\"", table.Text(1, "method"));
        Assert.Equal(0.001, table.Number(1, "auc"));
        Assert.True(double.IsNaN(table.Number(1, "sizes"))); // an empty field is a figure that does not exist
    }

    [Fact]
    public void BadFilesAreNamedWithTheirLineAndColumn()
    {
        var error = Assert.Throws<InvalidFileException>(() => Write("a,b\n1,2\n3\n"));
        Assert.Contains("line 3 has 1 fields where the header has 2", error.Message);
        error = Assert.Throws<InvalidFileException>(() => Write("a,b\n1,x\n").Number(0, "b"));
        Assert.Contains("line 2, column 'b': 'x' is not a number", error.Message);
        error = Assert.Throws<InvalidFileException>(() => Write("a,b\n1,2\n").Text(0, "auc"));
        Assert.Contains("has no column 'auc' (it has a, b)", error.Message);
        error = Assert.Throws<InvalidFileException>(() => Write("a,b\n\"1,2\n"));
        Assert.Contains("without its closing quote", error.Message);
        Assert.Throws<InvalidFileException>(() => Write(""));
        Assert.Throws<FileNotFoundException>(() => CsvTable.Read(path + ".missing"));
    }
}
