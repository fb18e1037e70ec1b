using Distill.Data.Tabular;

namespace Distill.Tests.Data.Tabular;

public class UciTablesTests
{
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
