using System.Collections;
using System.IO.Compression;
using Distill.Cli;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Distill.Tests.Cli;

/// <summary><c>reproduce beatgan --checkpoint DIR</c>: one resumable checkpoint per model, an interrupted run finishes with the
/// metrics of an uninterrupted one, a rerun trains nothing twice, and a folder of other options is refused.</summary>
public sealed class ReproduceCheckpointTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-reproduce-ckpt-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string Sub(string name) => Path.Combine(folder, name);

    private (int Code, string Output) Reproduce(string output, int studentEpochs, string? checkpoint, string learningRate = "0.001")
    {
        string[] args = ["reproduce", "beatgan", "--seeds", "1", "--teacher-epochs", "1", "--student-epochs", studentEpochs.ToString(),
                         "--method", "crd", "--lr", learningRate, "--out", Sub(output)];
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        int code = DistillCommandLine.Run(checkpoint is null ? args : [.. args, "--checkpoint", checkpoint], stdout, stderr);
        return (code, stdout + stderr.ToString());
    }

    // Every column but the wall time, which differs between runs.
    private string[] Metrics(string output) =>
        File.ReadAllLines(Path.Combine(Sub(output), "beatgan-runs.csv")).Select(l => l[..l.LastIndexOf(',')]).ToArray();

    private static string Entry(string checkpoint, string name)
    {
        using var zip = ZipFile.OpenRead(checkpoint);
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static Dictionary<string, Tensor> Tensors(string checkpoint, string name)
    {
        using var zip = ZipFile.OpenRead(checkpoint);
        using var buffer = new MemoryStream();
        using (var entry = zip.GetEntry(name)!.Open()) entry.CopyTo(buffer);
        buffer.Position = 0;
        return PyTorchUnpickler.UnpickleStateDict(buffer).Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);
    }

    // The metrics are rounded ranks and can hide a small divergence; the final networks, CRD's memory and the history cannot.
    private static void AssertSameStudent(string expectedFile, string actualFile)
    {
        Assert.Equal(Entry(expectedFile, "trainer.json"), Entry(actualFile, "trainer.json"));
        foreach (string name in new[] { "modules/generator.pt", "modules/discriminator.pt", "modules/terms/crd.pt" })
        {
            var (expected, actual) = (Tensors(expectedFile, name), Tensors(actualFile, name));
            Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
            foreach (var (key, tensor) in expected)
                Assert.True(tensor.shape.SequenceEqual(actual[key].shape) && tensor.eq(actual[key]).all().item<bool>(), $"{name}: '{key}' differs");
        }
    }

    [Fact]
    public void AnInterruptedRunResumesToTheUninterruptedMetricsAndARerunTrainsNothing()
    {
        var (plainCode, plain) = Reproduce("plain", studentEpochs: 2, checkpoint: Sub("ckpt-plain"));
        Assert.True(plainCode == 0, plain);
        string checkpoints = Sub("ckpt");
        var (stopCode, stopped) = Reproduce("stopped", studentEpochs: 1, checkpoints); // as if stopped after every student's epoch 1
        Assert.True(stopCode == 0, stopped);
        Assert.Equal([".distill.lock", "fold0-seed0-student+crd.ckpt", "fold0-seed0-student.ckpt", "fold0-seed0-teacher.ckpt"],
                     Directory.GetFiles(checkpoints).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal));
        Assert.DoesNotContain("resumes", stopped);

        var (code, resumed) = Reproduce("resumed", studentEpochs: 2, checkpoints);

        Assert.True(code == 0, resumed);
        Assert.Contains($"fold 0 seed 0 teacher: complete in {Path.Combine(checkpoints, "fold0-seed0-teacher.ckpt")} (1 of 1 epochs), nothing to train", resumed);
        Assert.Contains($"fold 0 seed 0 student+crd: resumes from {Path.Combine(checkpoints, "fold0-seed0-student+crd.ckpt")} after epoch 1 of 2", resumed);
        Assert.Equal(Metrics("plain"), Metrics("resumed"));
        AssertSameStudent(Path.Combine(Sub("ckpt-plain"), "fold0-seed0-student+crd.ckpt"), Path.Combine(checkpoints, "fold0-seed0-student+crd.ckpt"));

        var (againCode, again) = Reproduce("again", studentEpochs: 2, checkpoints);

        Assert.True(againCode == 0, again);
        foreach (string model in new[] { "teacher", "student", "student+crd" })
            Assert.Contains($"fold 0 seed 0 {model}: complete in", again);
        Assert.DoesNotContain("resumes", again);
        Assert.Equal(Metrics("plain"), Metrics("again"));

        var (otherCode, other) = Reproduce("other", studentEpochs: 2, checkpoints, learningRate: "0.002");

        Assert.NotEqual(0, otherCode);
        Assert.Contains("fold0-seed0-teacher.ckpt", other);
        Assert.Contains("other settings", other);
    }
}
