using Distill.Data;
using Distill.Data.Tabular;

namespace Distill.Tests.Data.Tabular;

public sealed class UciTablesTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-uci").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    // The embedded table with its header line and labels rewritten.
    private string BreastCancerWith(string header, Func<string, string> label)
    {
        var lines = File.ReadAllLines(Distill.Data.ProjectData.File("uci", "breast_cancer.csv"));
        var rows = lines[1..].Select(l => l[..(l.LastIndexOf(',') + 1)] + label(l[(l.LastIndexOf(',') + 1)..]));
        string path = Path.Combine(folder, $"{Guid.NewGuid():N}.csv");
        File.WriteAllLines(path, [header, .. rows]);
        return path;
    }

    [Fact]
    public void AHeaderNamingThreeClassesIsRefusedRatherThanMappedToMinusOne()
    {
        // Label 2 would become 1 - 2 = -1 after the flip to malignant-positive.
        int row = 0;
        string path = BreastCancerWith("569,30,malignant,benign,unknown", l => row++ == 5 ? "2" : l);
        var error = Assert.Throws<InvalidFileException>(() => UciTables.BreastCancer(path));
        Assert.Equal(path, error.FilePath);
        Assert.Contains("the header names 3 classes (malignant, benign, unknown)", error.Message);
    }

    [Fact]
    public void AOneClassFileIsRefused()
    {
        string path = BreastCancerWith("569,30,malignant,benign", _ => "1");
        var error = Assert.Throws<InvalidFileException>(() => UciTables.BreastCancer(path));
        Assert.Contains("every row is labelled 1 (benign)", error.Message);
    }

    [Fact]
    public void BreastCancerHasTheDocumentedShapeAndClasses()
    {
        var table = UciTables.BreastCancer();
        Assert.Equal(569, table.RowCount);
        Assert.Equal(30, table.FeatureCount);
        Assert.Equal(["benign", "malignant"], table.ClassNames);
        // 212 malignant and 357 benign tumours (UCI documentation).
        Assert.Equal([357, 212], table.ClassCounts());
        Assert.Equal(17.99f, table.Features[0][0]); // first row, mean radius, as in the file
        Assert.Equal(1, table.Labels[0]);            // file label 0 = malignant, flipped to positive
        Assert.Equal("mean radius", table.FeatureNames[0]);
        Assert.Equal("radius error", table.FeatureNames[10]);
        Assert.Equal("worst fractal dimension", table.FeatureNames[29]);
    }

    [Fact]
    public void DigitsHasTenClassesOfPixelCounts()
    {
        var table = UciTables.Digits();
        Assert.Equal(1797, table.RowCount);
        Assert.Equal(64, table.FeatureCount);
        Assert.Equal(10, table.ClassNames.Count);
        Assert.All(table.Features, row => Assert.All(row, v => Assert.InRange(v, 0f, 16f)));
        Assert.All(table.ClassCounts(), c => Assert.InRange(c, 170, 190));
    }
}
