using Distill.Data.Tabular;
using static TorchSharp.torch;

namespace Distill.Tests.Data.Tabular;

public class TeacherStudentDataTests
{
    [Fact]
    public void SplitsAreDisjointCompleteAndStratified()
    {
        var table = UciTables.BreastCancer();
        var split = StratifiedSplit.Create(table.Labels, new SplitFractions(0.6, 0.2), seed: 3);
        var all = split.Train.Concat(split.Validation).Concat(split.Test).ToArray();
        Assert.Equal(table.RowCount, all.Length);
        Assert.Equal(table.RowCount, all.Distinct().Count());
        double overall = table.Labels.Average();
        foreach (var rows in new[] { split.Train, split.Validation, split.Test })
            Assert.InRange(rows.Average(r => table.Labels[r]), overall - 0.02, overall + 0.02);
    }

    [Fact]
    public void SameSeedSameSplitOtherSeedOtherSplit()
    {
        var labels = UciTables.BreastCancer().Labels;
        var a = StratifiedSplit.Create(labels, new SplitFractions(), 1);
        var b = StratifiedSplit.Create(labels, new SplitFractions(), 1);
        var c = StratifiedSplit.Create(labels, new SplitFractions(), 2);
        Assert.Equal(a.Train, b.Train);
        Assert.NotEqual(a.Train, c.Train);
    }

    [Fact]
    public void StandardisationIsFittedOnTrainingRowsOnly()
    {
        var data = TeacherStudentData.BreastCancer(seed: 0);
        var trainMean = data.Train.TeacherInput.mean([0L]);
        var trainStd = data.Train.TeacherInput.std(0, unbiased: false);
        Assert.True(trainMean.abs().max().item<float>() < 1e-4, "training columns must have mean 0");
        Assert.True((trainStd - 1).abs().max().item<float>() < 1e-3, "training columns must have std 1");
        // Held-out rows are scaled with training statistics, so their means are not exactly 0.
        Assert.True(data.Test.TeacherInput.mean([0L]).abs().max().item<float>() > 1e-3);
    }

    [Fact]
    public void StudentSeesTheTenMeanFeaturesOfTheSameRows()
    {
        var data = TeacherStudentData.BreastCancer(seed: 0);
        Assert.Equal([data.Train.Count, 30L], data.Train.TeacherInput.shape);
        Assert.Equal([data.Train.Count, 10L], data.Train.StudentInput.shape);
        // Same rows, same scaling: the student's columns are the teacher's first ten.
        Assert.True(data.Train.StudentInput.allclose(data.Train.TeacherInput.narrow(1, 0, 10)));
        Assert.Equal(569, data.Train.Count + data.Validation.Count + data.Test.Count);
        Assert.Equal(arange(data.Train.Count, dtype: ScalarType.Int64).data<long>().ToArray(), data.Train.Indices.data<long>().ToArray());
    }

    [Fact]
    public void ViewWithUnknownColumnIsRejected()
    {
        var table = UciTables.BreastCancer();
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            TeacherStudentData.Create(table, FeatureView.All(table), new FeatureView("bad", [3, 30]), new SplitFractions(), 0));
        Assert.Contains("column 30", error.Message);
    }
}
