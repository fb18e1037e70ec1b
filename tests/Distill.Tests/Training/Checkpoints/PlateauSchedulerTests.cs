using Distill.Tests.Reference;
using Distill.Training;

namespace Distill.Tests.Training.Checkpoints;

public class PlateauSchedulerTests
{
    [Fact]
    public void LearningRatesFollowPyTorchsReduceLROnPlateau()
    {
        foreach (var reference in ReferenceData.Load("interop_plateau.json").EnumerateArray())
        {
            var schedule = new PlateauSchedule(reference.GetProperty("factor").GetDouble(), reference.GetProperty("patience").GetInt32(),
                                               reference.GetProperty("threshold").GetDouble(), reference.GetProperty("min_lr").GetDouble());
            var scheduler = new PlateauScheduler(schedule);
            double rate = reference.GetProperty("lr").GetDouble();
            var rates = ReferenceData.Doubles(reference.GetProperty("metrics")).Select(metric => rate = scheduler.Step(metric, rate)).ToArray();
            Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("rates")), rates, 1e-12, 0, $"rates with {schedule}");
        }
    }

    [Fact]
    public void RestoredCountersContinueTheScheduleExactly()
    {
        double[] metrics = [0.5, 0.5, 0.6, 0.6, 0.6, 0.6, 0.6];
        var straight = new PlateauScheduler(new PlateauSchedule());
        double rate = 1e-3;
        var expected = metrics.Select(m => rate = straight.Step(m, rate)).ToArray();

        var first = new PlateauScheduler(new PlateauSchedule());
        double resumedRate = 1e-3;
        var resumed = metrics[..3].Select(m => resumedRate = first.Step(m, resumedRate)).ToList();
        var second = new PlateauScheduler(new PlateauSchedule());
        second.Restore(first.Best, first.BadEpochs);
        resumed.AddRange(metrics[3..].Select(m => resumedRate = second.Step(m, resumedRate)));
        Assert.Equal(expected, resumed);
        Assert.NotEqual(expected[0], expected[^1]); // the schedule did reduce the rate
    }
}
