using Distill.Data.Ecg;
using TorchSharp;

namespace Distill.Tests.Data.Ecg;

public class BeatGanFoldsTests
{
    // 103 N, 21 S, 10 V, 1 F, 0 Q: small, with a class too rare for validation rounding to matter.
    private static readonly IReadOnlyList<EcgBeat> Beats =
        Enumerable.Range(0, 135).Select(i => new EcgBeat("t", i, "x",
            i < 103 ? AamiClass.N : i < 124 ? AamiClass.S : i < 134 ? AamiClass.V : AamiClass.F, [i, -i], 1, 2)).ToList();

    [Fact]
    public void FoldsPartitionTheBeatsAsBeatGanDoes()
    {
        var testNormals = new HashSet<long>();
        for (int k = 0; k < 5; k++)
        {
            var split = BeatGanFolds.Split(Beats, k, new BeatGanFoldOptions(Seed: 7));
            var all = split.Train.Concat(split.Validation).Concat(split.Test).Select(b => b.RPeak).ToList();
            Assert.Equal(135, all.Count);
            Assert.Equal(135, all.Distinct().Count());
            Assert.All(split.Train, b => Assert.Equal(AamiClass.N, b.Class));
            // floor(103 / 5) = 20 N beats tested per fold; ceil(10% of 83) = 9 to validation.
            var testN = split.Test.Where(b => b.Class == AamiClass.N).ToList();
            Assert.Equal(20, testN.Count);
            Assert.Equal(9, split.Validation.Count(b => b.Class == AamiClass.N));
            Assert.Equal(74, split.Train.Count);
            // ceil(10%) of each abnormal class validates, the rest is tested.
            Assert.Equal((3, 18), (split.Validation.Count(b => b.Class == AamiClass.S), split.Test.Count(b => b.Class == AamiClass.S)));
            Assert.Equal((1, 9), (split.Validation.Count(b => b.Class == AamiClass.V), split.Test.Count(b => b.Class == AamiClass.V)));
            Assert.Equal((1, 0), (split.Validation.Count(b => b.Class == AamiClass.F), split.Test.Count(b => b.Class == AamiClass.F)));
            foreach (var b in testN) Assert.True(testNormals.Add(b.RPeak), $"N beat {b.RPeak} is tested in two folds");
        }
        Assert.Equal(100, testNormals.Count);
    }

    [Fact]
    public void SplitsAreSeeded()
    {
        var a = BeatGanFolds.Split(Beats, 2, new BeatGanFoldOptions(Seed: 1));
        var b = BeatGanFolds.Split(Beats, 2, new BeatGanFoldOptions(Seed: 1));
        var c = BeatGanFolds.Split(Beats, 2, new BeatGanFoldOptions(Seed: 2));
        Assert.Equal(a.Test.Select(x => x.RPeak), b.Test.Select(x => x.RPeak));
        Assert.Equal(a.Validation.Select(x => x.RPeak), b.Validation.Select(x => x.RPeak));
        Assert.NotEqual(a.Test.Select(x => x.RPeak), c.Test.Select(x => x.RPeak));
    }

    [Fact]
    public void BadArgumentsAreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BeatGanFolds.Split(Beats, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => BeatGanFolds.Split(Beats, 0, new BeatGanFoldOptions(ValidationFraction: 1)));
        Assert.Throws<ArgumentException>(() => BeatGanFolds.Split(Beats.Where(b => b.Class != AamiClass.N).ToList(), 0));
    }

    [Fact]
    public void TensorsStackBeatsOnTheLibraryDevice()
    {
        var beats = new[]
        {
            new EcgBeat("t", 1, "N", AamiClass.N, [1, 2, 3, 4, 5, 6], 2, 3),
            new EcgBeat("t", 2, "V", AamiClass.V, [7, 8, 9, 10, 11, 12], 2, 3),
        };
        using var all = EcgBeatTensors.Signals(beats);
        Assert.Equal([2L, 2, 3], all.shape);
        Assert.Equal(DeviceType.CPU, all.device.type); // no device given: TorchSharp's default
        Assert.Equal(10f, all[1, 1, 0].item<float>());
        using var mlii = EcgBeatTensors.Signals(beats, [0]);
        Assert.Equal([2L, 1, 3], mlii.shape);
        Assert.Equal(9f, mlii[1, 0, 2].item<float>());
        using var labels = EcgBeatTensors.AnomalyLabels(beats);
        Assert.Equal([0L, 1L], labels.data<long>().ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => EcgBeatTensors.Signals(beats, [2]));
    }
}
