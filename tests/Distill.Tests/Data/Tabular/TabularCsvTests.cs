using Distill.Data;
using Distill.Data.Tabular;

namespace Distill.Tests.Data.Tabular;

public sealed class TabularCsvTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-csv").FullName;
    private static readonly string[] Names = ["a", "b"];

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Write(string text)
    {
        string path = Path.Combine(folder, $"{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void ReadsAWellFormedTable()
    {
        var table = TabularCsv.ReadWithSklearnHeader(Write("2,2,no,yes\n1.5,2,0\n3,4e-1,1\n"), "t", Names);
        Assert.Equal([0, 1], table.Labels);
        Assert.Equal(0.4f, table.Features[1][1]);
    }

    [Fact]
    public void NaNCellIsRejectedWithLineAndColumn()
    {
        var error = Assert.Throws<InvalidFileException>(() =>
            TabularCsv.ReadWithSklearnHeader(Write("2,2,no,yes\n1,2,0\n3,NaN,1\n"), "t", Names));
        Assert.Contains("line 3, column 2 ('b')", error.Message);
    }

    [Fact]
    public void ShortRowIsRejected()
    {
        var error = Assert.Throws<InvalidFileException>(() =>
            TabularCsv.ReadWithSklearnHeader(Write("2,2,no,yes\n1,2,0\n3,1\n"), "t", Names));
        Assert.Contains("line 3: 2 columns", error.Message);
    }

    [Fact]
    public void TruncatedFileDisagreesWithHeader()
    {
        var error = Assert.Throws<InvalidFileException>(() =>
            TabularCsv.ReadWithSklearnHeader(Write("3,2,no,yes\n1,2,0\n3,1,1\n"), "t", Names));
        Assert.Contains("declares 3 rows but the file has 2", error.Message);
    }

    [Fact]
    public void LabelOutsideTheClassesIsRejected()
    {
        var error = Assert.Throws<InvalidFileException>(() =>
            TabularCsv.ReadPlain(Write("1,2,0\n3,1,2\n"), "t", Names, ["no", "yes"]));
        Assert.Contains("label '2'", error.Message);
    }

    [Fact]
    public void AValueFiniteAsADoubleButInfiniteAsAFloatIsRejected()
    {
        var error = Assert.Throws<InvalidFileException>(() =>
            TabularCsv.ReadWithSklearnHeader(Write("2,2,no,yes\n1,2,0\n3,1e39,1\n"), "t", Names));
        Assert.Contains("line 3, column 2 ('b'): '1e39' is not a number within float32's range", error.Message);
    }

    [Theory]
    [InlineData("0,2,no,yes\n", "has no data rows after its header")]
    [InlineData("", "is empty")]
    public void AFileWithoutDataRowsIsRejected(string text, string problem)
    {
        string path = Write(text);
        var error = Assert.Throws<InvalidFileException>(() => TabularCsv.ReadWithSklearnHeader(path, "t", Names));
        Assert.Equal(path, error.FilePath);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void MissingFileNamesThePath()
    {
        string path = Path.Combine(folder, "absent.csv");
        var error = Assert.Throws<FileNotFoundException>(() => TabularCsv.ReadPlain(path, "t", Names, ["no", "yes"]));
        Assert.Contains(path, error.Message);
    }
}
