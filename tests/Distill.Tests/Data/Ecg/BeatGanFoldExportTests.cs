using System.Buffers.Binary;
using System.Text.Json;
using Distill.Data.Ecg;
using Distill.Data.Npy;
using Distill.Distillation.BeatGan;

using Distill.Experiments.BeatGan;
namespace Distill.Tests.Data.Ecg;

public class BeatGanFoldExportTests
{
    private static readonly Lazy<IReadOnlyList<EcgBeat>> Record100 = new(() => MitBihSource.Require(["100"], Path.GetTempPath()).Segment().Beats);

    /// <summary>The data bytes of an .npy file (after NumPy's version 1.0 header).</summary>
    internal static ReadOnlySpan<byte> Data(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        return bytes.AsSpan(10 + BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)));
    }

    [Fact]
    public void ExportHoldsEverySplitsBeatsLabelsClassesAndOrigins()
    {
        var beats = Record100.Value;
        var split = BeatGanFolds.Split(beats, 1);
        using var folder = new TempFolder();
        var report = BeatGanFoldExport.Write(split, folder.Path, "record 100", BeatSegmentationOptions.BeatGanAuthors, new BeatGanFoldOptions());

        Assert.EndsWith("fold.json", report.Files[^1]);
        var json = JsonDocument.Parse(File.ReadAllText(folder.File("fold.json"))).RootElement;
        Assert.Equal(1, json.GetProperty("fold").GetInt32());
        Assert.Equal(["100"], json.GetProperty("records").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(1, json.GetProperty("segmentation").GetProperty("annotation_offset").GetInt32());
        foreach (var (name, part) in new[] { ("train", split.Train), ("validation", split.Validation), ("test", split.Test) })
        {
            var x = NpyReader.Read(folder.File($"{name}_x.npy"));
            Assert.Equal([part.Count, 2, 320], x.Shape);
            Assert.Equal(part.SelectMany(b => b.Samples).Select(v => (double)v), x.Data);
            Assert.Equal(part.Select(b => b.Class.IsAbnormal() ? 1L : 0L), ToArray<long>(folder.File($"{name}_y.npy")));
            Assert.Equal(part.Select(b => (byte)b.Class), ToArray<byte>(folder.File($"{name}_class.npy")));
            Assert.Equal(part.Select(b => b.RPeak), ToArray<long>(folder.File($"{name}_sample.npy")));
            Assert.All(ToArray<int>(folder.File($"{name}_record.npy")), r => Assert.Equal(0, r));
            Assert.Equal(part.Count, json.GetProperty("counts").GetProperty(name).EnumerateObject().Sum(c => c.Value.GetInt32()));
            Assert.Equal(part.Count(b => b.Class == AamiClass.S), report.Counts[name][AamiClass.S]);
        }
    }

    [Fact]
    public void ExportedTrainingBeatsAreTheOnesTheCSharpTrainerReads()
    {
        var beats = Record100.Value;
        var data = BeatGanKdData.FromBeats(beats, 0, "record 100.");
        using var folder = new TempFolder();
        BeatGanFoldExport.Write(BeatGanFolds.Split(beats, 0), folder.Path, "record 100", BeatSegmentationOptions.BeatGanAuthors, new BeatGanFoldOptions());
        var x = NpyReader.Read(folder.File("train_x.npy"));
        var lead0 = Enumerable.Range(0, x.Shape[0]).SelectMany(b => x.Data.Skip(b * 640).Take(320)).Select(v => (float)v);
        Assert.Equal(data.Train.data<float>().ToArray(), lead0);
    }

    [Fact]
    public void ExportWithMaxTrainBeatsHoldsTheSubsetReproduceTrainsOn()
    {
        var beats = Record100.Value;
        var data = BeatGanKdData.FromBeats(beats, 0, "record 100.", maxTrainBeats: 100);
        var split = BeatGanFolds.Split(beats, 0);
        using var folder = new TempFolder();
        var report = BeatGanFoldExport.Write(split, folder.Path, "record 100", BeatSegmentationOptions.BeatGanAuthors, new BeatGanFoldOptions(), maxTrainBeats: 100);

        var x = NpyReader.Read(folder.File("train_x.npy"));
        Assert.Equal([100, 2, 320], x.Shape);
        var lead0 = Enumerable.Range(0, x.Shape[0]).SelectMany(b => x.Data.Skip(b * 640).Take(320)).Select(v => (float)v);
        Assert.Equal(data.Train.data<float>().ToArray(), lead0);
        Assert.Equal(split.Train.Take(100).Select(b => b.RPeak), ToArray<long>(folder.File("train_sample.npy")));
        Assert.Equal(100, report.Counts["train"].Values.Sum());
        Assert.Equal(split.Validation.Count, NpyReader.Read(folder.File("validation_x.npy")).Shape[0]);
        Assert.Equal(split.Test.Count, NpyReader.Read(folder.File("test_x.npy")).Shape[0]);
        var json = JsonDocument.Parse(File.ReadAllText(folder.File("fold.json"))).RootElement;
        Assert.Equal(100, json.GetProperty("max_train_beats").GetInt32());
        Assert.Equal(split.Train.Count, json.GetProperty("train_available").GetInt32());
        Assert.Throws<ArgumentOutOfRangeException>(() => split.LimitTraining(0));
    }

    [Fact]
    public void AnEmptyFoldIsRefused()
    {
        using var folder = new TempFolder();
        var empty = new BeatGanSplit(0, [], [], []);
        Assert.Throws<ArgumentException>(() => BeatGanFoldExport.Write(empty, folder.Path, "none", BeatSegmentationOptions.BeatGanAuthors, new BeatGanFoldOptions()));
        Assert.False(File.Exists(folder.File("fold.json")));
    }

    private static T[] ToArray<T>(string path) where T : unmanaged =>
        System.Runtime.InteropServices.MemoryMarshal.Cast<byte, T>(Data(path)).ToArray();
}
