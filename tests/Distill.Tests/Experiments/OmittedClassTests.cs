using Distill.Data.Tabular;
using Distill.Experiments.OmittedClass;
using Distill.Models;
using Distill.Training;
using static TorchSharp.torch;

namespace Distill.Tests.Experiments;

/// <summary>Hinton et al.'s omitted-class experiment: the transfer set, the bias correction and the scores.</summary>
public sealed class OmittedClassTests
{
    private static TabularSplit Split(long[] labels)
    {
        var input = arange(labels.Length * 2, dtype: ScalarType.Float32).reshape(labels.Length, 2);   // row r = [2r, 2r+1]
        return new TabularSplit(input, input * 10, tensor(labels), arange(labels.Length, dtype: ScalarType.Int64));
    }

    [Fact]
    public void TheTransferSetHasNoRowOfTheOmittedClassAndKeepsEveryOther()
    {
        var transfer = TransferSet.Omitting(Split([0, 3, 1, 3, 2, 3]), omittedClass: 3);
        Assert.Equal([0, 1, 2], transfer.Labels());
        Assert.Equal([0f, 1f, 4f, 5f, 8f, 9f], transfer.TeacherInput.data<float>().ToArray());   // rows 0, 2, 4
        Assert.Equal([0f, 10f, 40f, 50f, 80f, 90f], transfer.StudentInput.data<float>().ToArray());
        Assert.Equal([0L, 1L, 2L], transfer.Indices.data<long>().ToArray());                 // re-indexed for CRD-style banks
    }

    [Fact]
    public void OmittingAnAbsentClassOrEveryRowIsRefused()
    {
        Assert.Contains("does not occur", Assert.Throws<ArgumentException>(() => TransferSet.Omitting(Split([0, 1]), 3)).Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => TransferSet.Omitting(Split([3, 3]), 3)).Message);
    }

    [Fact]
    public void TheScoreCountsErrorsOverallAndOnTheOmittedClass()
    {
        // Predictions (arg-max): 0, 1, 1, 2, 0, 3; targets 0, 3, 1, 3, 2, 3: three errors, two of them on the three 3s.
        var logits = tensor(new float[,] { { 5, 0, 0, 0 }, { 0, 5, 0, 1 }, { 0, 5, 0, 0 }, { 0, 0, 5, 1 },
                                           { 5, 0, 1, 0 }, { 0, 0, 0, 5 } });
        var score = OmittedClassScore.Of(logits, tensor(new long[] { 0, 3, 1, 3, 2, 3 }), omittedClass: 3);
        Assert.Equal(new OmittedClassScore(6, 3, 3, 2), score);
        Assert.Equal(0.5, score.ErrorRate);
        Assert.Equal(1.0 / 3, score.OmittedAccuracy, 12);
        Assert.Throws<ArgumentException>(() => OmittedClassScore.Of(logits, tensor(new long[] { 0, 1, 1, 2, 0, 0 }), 3));
    }

    [Fact]
    public void RaisingTheBiasRecoversAClassWhoseLogitIsTooLow()
    {
        // Class 1's logit sits 2 below the winner on its rows and 4 below on the others' rows: a shift in (2, 4) fixes
        // every row; the grid's smallest such shift is 2.25.
        var logits = tensor(new float[,] { { 4, 0 }, { 4, 0 }, { 2, 0 }, { 2, 0 } });
        var targets = tensor(new long[] { 0, 0, 1, 1 });
        Assert.Equal(2, BiasCorrection.Errors(logits, targets));
        double shift = BiasCorrection.BestShift(logits, targets, classIndex: 1);
        Assert.Equal(2.25, shift);
        Assert.Equal(0, BiasCorrection.Errors(BiasCorrection.Shift(logits, 1, shift), targets));
        Assert.Equal(0.0, BiasCorrection.BestShift(logits, tensor(new long[] { 0, 0, 0, 0 }), 1));   // nothing to gain: 0
    }

    [Fact]
    public void RaiseBiasShiftsOnlyThatClasssLogitOfTheNetwork()
    {
        var model = new Mlp([4, 8], outputs: 3);
        model.eval();
        var input = randn(5, 4);
        var before = model.call(input).detach();
        BiasCorrection.RaiseBias(model, classIndex: 2, shift: 3.5);
        var change = model.call(input).detach() - before;                                     // [5, 3]
        Assert.Equal(0f, change[.., 0].abs().max().item<float>(), 5);
        Assert.Equal(0f, change[.., 1].abs().max().item<float>(), 5);
        Assert.Equal(3.5f, change[.., 2].mean().item<float>(), 5);
        Assert.Throws<ArgumentOutOfRangeException>(() => BiasCorrection.RaiseBias(model, 3, 1));
    }

    [Fact]
    public void ThePapersRatesComeFromItsCounts()
    {
        // Hinton et al., Sec. 3: 206 errors, 133 on 1010 threes; after the bias: 109 errors, 14 on threes ("98.6%").
        Assert.Equal(0.0206, HintonOmittedThree.Before.ErrorRate, 10);
        Assert.Equal(0.986, Math.Round(HintonOmittedThree.After.OmittedAccuracy, 3));
        var rows = OmittedClassComparison.Rows(new OmittedClassScore(100, 1, 10, 0),
            [new OmittedClassRun(TransferStudent.Distilled, 1, 90, 2, new(100, 20, 10, 9), new(100, 5, 10, 1)),
             new OmittedClassRun(TransferStudent.LabelsOnly, 1, 90, 0, new(100, 10, 10, 10), new(100, 10, 10, 10))]);
        Assert.Equal("98.61%", rows.Single(r => r.Quantity == "distilled + bias: omitted class recognised").Paper);
        Assert.Equal("90.00% ± 0.00", rows.Single(r => r.Quantity == "distilled + bias: omitted class recognised").Ours);
        Assert.Equal("0.00% ± 0.00", rows.Single(r => r.Quantity == "labels only + bias: omitted class recognised").Ours);
    }

    [Fact]
    public void TheStudentsTrainOnTheTransferSetOnlyAndTheTableNeedsBoth()
    {
        var data = TeacherStudentData.Create(UciTables.Digits(), DigitsViews.AllPixels, DigitsViews.AllPixels, new SplitFractions(), 0);
        var (teacher, _) = TabularDistillation.TrainTeacher(data, [32], new TrainingOptions(Epochs: 1), seed: 0);
        var runs = OmittedClassExperiment.Run(data, teacher, new OmittedClassOptions([16]), new TrainingOptions(Epochs: 1), [1]);
        long threes = data.Train.Labels().Count(l => l == 3);
        Assert.True(threes > 0);
        Assert.All(runs, r => Assert.Equal(data.Train.Count - threes, r.TransferRows));
        Assert.Equal([TransferStudent.Distilled, TransferStudent.LabelsOnly], runs.Select(r => r.Student));
        Assert.All(runs, r => Assert.True(r.BiasShift >= 0));
        Assert.Throws<ArgumentException>(() => OmittedClassComparison.Rows(runs[0].Before, [runs[0]]));
    }
}
