using System.IO.Compression;
using System.Text;
using Distill.Data.Tabular;
using Distill.Models;
using Distill.Runtime;
using Distill.Training;
using Distill.Training.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Distill.Tests.Reliability;

/// <summary>Seeded mutations of a checkpoint, of its raw bytes and of each entry's content (the zip's entries enumerated
/// generically, so the suite follows format changes): every mutation of the file is refused by the entries' CRC-32 or
/// loads the same; a mutation of one entry with a consistent CRC (a hostile file) is refused with the project's own
/// exception or loads, never crashes LibTorch, and a refused file changes nothing in the live modules.</summary>
public sealed class CheckpointFaultInjectionTests(ITestOutputHelper output) : IDisposable
{
    private const string Settings = "fault injection";
    private const int Seed = 3;
    private readonly string folder = Directory.CreateTempSubdirectory("distill-ckpt-faults-").FullName;
    private readonly TeacherStudentData data = TeacherStudentData.BreastCancer(0);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private (Mlp Model, ClassifierObjective Objective) Fresh(int seed)
    {
        Reproducibility.Seed(seed);
        var model = new Mlp([data.TeacherView.Columns.Count, 4], outputs: 1, name: "teacher");
        return (model, new ClassifierObjective(model, ClassificationTask.For(2), InputView.Teacher));
    }

    private byte[] Checkpoint()
    {
        string path = Path.Combine(folder, "written.ckpt");
        var (_, objective) = Fresh(Seed);
        new SupervisedTrainer(new TrainingOptions(Epochs: 2, BatchSize: 64), new CheckpointOptions(path, Settings: Settings))
            .Fit(objective, data.Train, data.Validation, Seed);
        return File.ReadAllBytes(path);
    }

    private static string State(nn.Module module)
        => FaultInjection.Fingerprint(module.state_dict().OrderBy(kv => kv.Key, StringComparer.Ordinal)
                                            .Select(kv => $"{kv.Key}:{Convert.ToHexString(kv.Value.cpu().bytes.ToArray())}"));

    // Loads into fresh modules; on refusal the modules must be as they were.
    private string Load(string path)
    {
        var (model, objective) = Fresh(99);
        string before = State(model);
        try
        {
            // A resume of the two epochs the file holds trains nothing: it restores the file and keeps its best epoch.
            var result = new SupervisedTrainer(new TrainingOptions(Epochs: 2, BatchSize: 64), new CheckpointOptions(path, Settings: Settings))
                .Fit(objective, data.Train, data.Validation, Seed);
            using var rng = get_rng_state();
            return FaultInjection.Fingerprint([State(model), $"{result.History.Count} {result.BestEpoch} {result.History[^1].LearningRate:R}",
                                               Convert.ToHexString(rng.bytes.ToArray())]);
        }
        catch (CorruptCheckpointException)
        {
            Assert.Equal(before, State(model));
            throw;
        }
    }

    [Fact]
    public void AnyDamageToTheFileIsRefusedByTheEntriesCrc32()
    {
        byte[] original = Checkpoint();
        string path = Path.Combine(folder, "damaged.ckpt");
        var counts = new Dictionary<(string, FaultOutcome), int>();
        var rng = new Random(29);
        string expected = FaultInjection.Try(path, original, Load, "", "original") == FaultOutcome.Different ? Load(path) : throw new InvalidOperationException();
        var regions = EntryRegions(original);
        foreach (string kind in FaultInjection.Kinds)
            for (int i = 0; i < FaultInjection.Count; i++)
            {
                byte[] mutated = FaultInjection.Mutate(original, kind, rng);
                Record(counts, kind, FaultInjection.Try(path, mutated, Load, expected, $"{kind} #{i}"), $"{kind} #{i}");
            }
        // And one flip inside each entry's stored bytes, whatever the entries are.
        foreach (var (name, start, length) in regions)
            Record(counts, "flip", FaultInjection.Try(path, FaultInjection.Mutate(original, "flip", rng, (start, length)), Load, expected, $"flip in {name}"),
                   $"flip in {name}");
        output.WriteLine($"entries: {string.Join(", ", regions.Select(r => $"{r.Name} ({r.Length} bytes)"))}");
        FaultInjection.Report(output, "checkpoint (raw bytes)", counts);
    }

    private static void Record(Dictionary<(string, FaultOutcome), int> counts, string kind, FaultOutcome outcome, string what)
    {
        Assert.True(outcome != FaultOutcome.Different, $"{what}: a damaged checkpoint loaded to another state");
        counts[(kind, outcome)] = counts.GetValueOrDefault((kind, outcome)) + 1;
    }

    [Fact]
    public void ACraftedEntryWithAConsistentCrcIsRefusedOrLoadsButNeverCrashes()
    {
        byte[] original = Checkpoint();
        string path = Path.Combine(folder, "crafted.ckpt");
        var entries = Entries(original);
        var rng = new Random(31);
        var counts = new Dictionary<(string, FaultOutcome), int>();
        string expected = FaultInjection.Try(path, original, Load, "", "original") == FaultOutcome.Different ? Load(path) : throw new InvalidOperationException();
        foreach (var (name, content) in entries)
            foreach (string kind in FaultInjection.Kinds)
                for (int i = 0; i < Math.Max(2, FaultInjection.Count / 3); i++)
                {
                    var crafted = entries.ToDictionary(kv => kv.Key, kv => kv.Value);
                    crafted[name] = content.Length == 0 ? [1] : FaultInjection.Mutate(content, kind, rng);
                    var outcome = FaultInjection.Try(path, Zip(crafted), Load, expected, $"{name} {kind} #{i}");
                    counts[($"{name} {kind}", outcome)] = counts.GetValueOrDefault(($"{name} {kind}", outcome)) + 1;
                }
        // The crafted cases the issue names: rng.pt holding a float tensor, trainer.json without its history.
        var floatRng = entries.ToDictionary(kv => kv.Key, kv => kv.Value);
        floatRng["rng.pt"] = TensorsEntry(("torch", ones(5056)));
        Assert.Equal(FaultOutcome.Refused, FaultInjection.Try(path, Zip(floatRng), Load, expected, "float rng"));
        var noHistory = entries.ToDictionary(kv => kv.Key, kv => kv.Value);
        noHistory["trainer.json"] = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(entries["trainer.json"]).Replace("\"History\":", "\"Lost\":"));
        Assert.Equal(FaultOutcome.Refused, FaultInjection.Try(path, Zip(noHistory), Load, expected, "no history"));
        var badOptimizer = entries.ToDictionary(kv => kv.Key, kv => kv.Value);
        badOptimizer["optimizers/adam.pt"] = TensorsEntry(("state", zeros(3)));
        Assert.Equal(FaultOutcome.Refused, FaultInjection.Try(path, Zip(badOptimizer), Load, expected, "foreign optimizer"));
        foreach (var group in counts.GroupBy(kv => kv.Key.Item1))
            output.WriteLine($"{group.Key}: {string.Join(", ", group.Select(kv => $"{kv.Key.Item2.ToString().ToLowerInvariant()} {kv.Value}"))}");
    }

    private static Dictionary<string, byte[]> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip));
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var stream = e.Open();
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            return buffer.ToArray();
        });
    }

    private static byte[] Zip(Dictionary<string, byte[]> entries)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, content) in entries)
                using (var stream = archive.CreateEntry(name, CompressionLevel.Fastest).Open()) stream.Write(content);
        return buffer.ToArray();
    }

    private static byte[] TensorsEntry(params (string Key, Tensor Value)[] tensors)
    {
        using var buffer = new MemoryStream();
        var table = new System.Collections.Hashtable();
        foreach (var (key, value) in tensors) table[key] = value;
        TorchSharp.PyBridge.PyTorchPickler.PickleStateDict(buffer, table, leaveOpen: true);
        return buffer.ToArray();
    }

    // Where each entry's stored (compressed) bytes lie in the file, from the local headers and the central directory's sizes.
    private static List<(string Name, int Start, int Length)> EntryRegions(byte[] zip)
    {
        Dictionary<string, long> sizes;
        using (var archive = new ZipArchive(new MemoryStream(zip))) sizes = archive.Entries.ToDictionary(e => e.FullName, e => e.CompressedLength);
        var regions = new List<(string, int, int)>();
        for (int at = 0; at + 30 <= zip.Length && BitConverter.ToUInt32(zip, at) == 0x04034b50;)
        {
            int nameLength = BitConverter.ToUInt16(zip, at + 26), extraLength = BitConverter.ToUInt16(zip, at + 28);
            string name = Encoding.UTF8.GetString(zip, at + 30, nameLength);
            int start = at + 30 + nameLength + extraLength, length = (int)sizes[name];
            if (length > 0) regions.Add((name, start, length));
            at = start + length;
            if ((BitConverter.ToUInt16(zip, at - length - extraLength - nameLength - 30 + 6) & 8) != 0) // a data descriptor follows
                at += BitConverter.ToUInt32(zip, at) == 0x08074b50 ? 16 : 12;
        }
        Assert.Equal(sizes.Count(kv => kv.Value > 0), regions.Count);
        return regions;
    }
}
