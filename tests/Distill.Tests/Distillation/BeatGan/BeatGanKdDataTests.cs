using Distill.Data.Ecg;
using Distill.Distillation.BeatGan;

using Distill.Experiments.BeatGan;
namespace Distill.Tests.Distillation.BeatGan;

public class BeatGanKdDataTests
{
    private static readonly Lazy<IReadOnlyList<EcgBeat>> Record100 = new(() => MitBihSource.Require(["100"], Path.GetTempPath()).Segment().Beats);

    [Fact]
    public void MitBihFoldHoldsTheSplitsBeatsAsLeadZeroTensors()
    {
        var beats = Record100.Value;
        var split = BeatGanFolds.Split(beats, 1);
        var data = BeatGanKdData.FromBeats(beats, 1, "record 100.");

        Assert.Equal([split.Train.Count, 1, 320], data.Train.shape);
        Assert.Equal([split.Validation.Count, 1, 320], data.Validation.shape);
        Assert.Equal([split.Test.Count, 1, 320], data.Test.shape);
        Assert.Equal(split.Test.Select(b => b.Class == AamiClass.N ? 0 : 1), data.TestLabels);
        Assert.Equal(split.Validation.Select(b => b.Class == AamiClass.N ? 0 : 1), data.ValidationLabels);
        // Lead 0 (MLII) of the first test beat, sample by sample.
        Assert.Equal(split.Test[0].Lead(0).ToArray(), data.Test[0, 0].data<float>().ToArray());
        Assert.Contains("Fold 1 of 5", data.Description);
        Assert.Contains($"train {split.Train.Count} normal", data.Description);
        Assert.True(data.TestLabels.Sum() > 0 && data.ValidationLabels.Sum() > 0);
    }

    [Fact]
    public void MaxTrainBeatsSubsamplesOnlyTheTrainingBeats()
    {
        var beats = Record100.Value;
        var all = BeatGanKdData.FromBeats(beats, 0, "record 100.");
        var capped = BeatGanKdData.FromBeats(beats, 0, "record 100.", maxTrainBeats: 100);
        Assert.Equal(100, capped.Train.shape[0]);
        Assert.True(all.Train.narrow(0, 0, 100).allclose(capped.Train, rtol: 0, atol: 0));
        Assert.Equal(all.Test.shape, capped.Test.shape);
        Assert.Equal(all.Validation.shape, capped.Validation.shape);
        Assert.Contains($"train 100 normal (of {all.Train.shape[0]})", capped.Description);
        Assert.Throws<ArgumentOutOfRangeException>(() => BeatGanKdData.FromBeats(beats, 0, "x", maxTrainBeats: 0));
    }

    [Fact]
    public void BeatsWithoutAbnormalOnesAreRefusedBecauseAucIsUndefined()
    {
        var normalOnly = Record100.Value.Where(b => b.Class == AamiClass.N).ToList();
        var error = Assert.Throws<ArgumentException>(() => BeatGanKdData.FromBeats(normalOnly, 0, "x"));
        Assert.Contains("no abnormal", error.Message);
    }

    [Fact]
    public void DemoSplitIsDescribed()
    {
        var demo = BeatGanKdData.Load();
        Assert.Equal(32, demo.Train.shape[0]);
        Assert.Contains("demo beats", demo.Description);
    }
}
