using Distill.Charts;
using Distill.Training;

namespace Distill.Tests.Charts;

/// <summary>Tables show every row, round to what matters, and come out as HTML tables and aligned text.</summary>
public sealed class TableTests
{
    private enum Method { None, Kd }

    [Theory]
    [InlineData(0.981612, "0.9816")]
    [InlineData(0.5, "0.5000")]
    [InlineData(1234.56789, "1234.5679")]
    [InlineData(1.2e-9, "1.2e-09")]
    [InlineData(-3.25e-5, "-3.25e-05")]
    [InlineData(2.5e7, "2.5e+07")]
    [InlineData(0.0, "0")]
    [InlineData(double.NaN, "NaN")]
    public void NumbersKeepFourDecimalsOrTheirSignificantDigits(double value, string shown) =>
        Assert.Equal(shown, Table.Format(value));

    [Fact]
    public void OtherValuesAreShownPlainly()
    {
        Assert.Equal("0.9200 ± 0.0283", Table.Format(MeanStd.Of([0.90, 0.94])));
        Assert.Equal("536,833", Table.Format(536833L));
        Assert.Equal("7", Table.Format(7));
        Assert.Equal("0.2500", Table.Format(0.25f));
        Assert.Equal("Kd", Table.Format(Method.Kd));
        Assert.Equal("32, 16", Table.Format(new[] { 32, 16 }));
        Assert.Equal("true", Table.Format(true));
        Assert.Equal("", Table.Format(null));
    }

    [Fact]
    public void RowsBecomeColumnsInDeclarationOrderAndNoRowIsCut()
    {
        var table = Table.From(Enumerable.Range(1, 25).Select(i => new { epoch = i, loss = 1.0 / i, best = i == 25 }));
        Assert.Equal(["epoch", "loss", "best"], table.Columns);
        string html = table.ToHtml();
        Assert.StartsWith("<table", html);
        Assert.Equal(26, html.Split("<tr>").Length - 1);   // header + 25 rows, where the kernel's formatter stops at 20
        Assert.Contains(">0.0400</td>", html);
        Assert.Contains("<td style=\"text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap\">25</td>", html);
    }

    [Fact]
    public void FieldsOfOneObjectAreRows()
    {
        var table = Table.Fields(new { test_auc = 0.98765, kept_epoch = 3 });
        Assert.Equal(["quantity", "value"], table.Columns);
        Assert.Equal(["test_auc", "0.9877"], table.Values[0].Select(Table.Format));
        Assert.Equal(["kept_epoch", "3"], table.Values[1].Select(Table.Format));
    }

    [Fact]
    public void ResultsShowSeedsAndMeanPlusMinusStd()
    {
        IReadOnlyList<ResultRow> rows =
        [
            new("None", new Dictionary<string, MeanStd> { ["auc"] = MeanStd.Of([0.90, 0.94]), ["f1"] = MeanStd.Of([0.8, 0.8]) }),
            new("Kd", new Dictionary<string, MeanStd> { ["auc"] = MeanStd.Of([0.95, 0.97]), ["f1"] = MeanStd.Of([0.85, 0.87]) }),
        ];
        var table = Table.Results(rows, "Students");
        Assert.Equal(["method", "seeds", "auc", "f1"], table.Columns);
        Assert.Equal(["Kd", "2", "0.9600 ± 0.0141", "0.8600 ± 0.0141"], table.Values[1].Select(Table.Format));
        Assert.Contains("<caption style=\"text-align: left; font-weight: bold\">Students</caption>", table.ToHtml());
    }

    [Fact]
    public void PlainTextIsAlignedAndHasNoPipes()
    {
        string text = Table.From([new { method = "None", auc = 0.9 }, new { method = "Kd+fitnet", auc = 0.95 }]).ToString();
        Assert.Equal("method     auc\n---------  ------\nNone       0.9000\nKd+fitnet  0.9500", text);
    }

    [Fact]
    public void TextIsEncodedInHtml() =>
        Assert.Contains("<td style=\"text-align: left\">a &lt;b&gt; &amp; c</td>", Table.From([new { name = "a <b> & c" }]).ToHtml());

    [Fact]
    public void BadInputIsRefusedWithTheFix()
    {
        var noColumns = Assert.Throws<ArgumentException>(() => Table.From(new[] { "a", "b" }));
        Assert.Contains("select an anonymous object", noColumns.Message);
        var mismatch = Assert.Throws<ArgumentException>(() => Table.Results(
        [
            new("None", new Dictionary<string, MeanStd> { ["auc"] = MeanStd.Of([0.9]) }),
            new("Kd", new Dictionary<string, MeanStd> { ["f1"] = MeanStd.Of([0.9]) }),
        ]));
        Assert.Contains("'Kd' lacks metric(s) auc", mismatch.Message);
        Assert.Throws<ArgumentException>(() => Table.Results([]));
    }
}
