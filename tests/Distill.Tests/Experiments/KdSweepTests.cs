using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Experiments.DarkKnowledge;
using Distill.Losses;
using Distill.Training;

namespace Distill.Tests.Experiments;

/// <summary>The temperature and soft-weight sweep of notebook 02.</summary>
public sealed class KdSweepTests
{
    private static readonly TrainingOptions OneEpoch = new(Epochs: 1);

    [Fact]
    public void EachPointTrainsTheStudentTheDirectCallWouldTrain()
    {
        var data = TeacherStudentData.Create(UciTables.Digits(), DigitsViews.AllPixels, DigitsViews.AllPixels, new SplitFractions(), 0);
        var (teacher, _) = TabularDistillation.TrainTeacher(data, [16], OneEpoch, seed: 0);
        var reports = new List<KdSweepProgress>();
        var runs = KdSweep.Run(data, teacher, [8], OneEpoch, temperatures: [1, 16], softWeights: [0, 3], seeds: [1],
                               fixedTemperature: 2, fixedWeight: 0.5, progress: new SyncProgress<KdSweepProgress>(reports.Add));
        Assert.Equal([(KdKnob.Temperature, 1.0), (KdKnob.Temperature, 16.0), (KdKnob.SoftWeight, 0.0), (KdKnob.SoftWeight, 3.0)],
                     runs.Select(r => (r.Knob, r.Value)));
        Assert.Equal([1, 2, 3, 4], reports.Select(p => p.Done));
        Assert.All(reports, p => Assert.Equal(4, p.Total));

        double Direct(double temperature, double weight)
        {
            var prepared = TabularDistillationCombined.Prepare(data, teacher, "direct", [8], 1,
                _ => new[] { new DistillationTerm(new KnowledgeDistillationLoss(temperature), weight) });
            return TabularDistillationCombined.Train(data, teacher, prepared, OneEpoch).Test.Metrics["accuracy"];
        }
        Assert.Equal(Direct(16, 0.5), runs[1].Accuracy);                                     // T swept at the fixed weight
        Assert.Equal(Direct(2, 3), runs[3].Accuracy);                                        // weight swept at the fixed T
        var labelsOnly = TabularDistillation.TrainStudent(data, teacher, DistillationMethod.None, [8], OneEpoch, 1);
        Assert.Equal(labelsOnly.Test.Metrics["accuracy"], runs[2].Accuracy);                 // weight 0: labels only
        Assert.Equal([1.0, 16.0], KdSweep.Summary(runs, KdKnob.Temperature).Select(p => p.Value));
    }

    [Fact]
    public void EmptyOrImpossibleSettingsAreRefused()
    {
        var data = TeacherStudentData.Create(UciTables.Digits(), DigitsViews.AllPixels, DigitsViews.AllPixels, new SplitFractions(), 0);
        var (teacher, _) = TabularDistillation.TrainTeacher(data, [16], OneEpoch, seed: 0);
        Assert.Throws<ArgumentException>(() => KdSweep.Run(data, teacher, [8], OneEpoch, [], [1], [1]));
        Assert.Throws<ArgumentException>(() => KdSweep.Run(data, teacher, [8], OneEpoch, [0], [1], [1]));
        Assert.Throws<ArgumentException>(() => KdSweep.Run(data, teacher, [8], OneEpoch, [1], [-1], [1]));
        Assert.Throws<ArgumentException>(() => KdSweep.Summary([], KdKnob.SoftWeight));
    }
}
