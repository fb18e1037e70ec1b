using System.IO.Compression;
using Distill.Distillation;
using Distill.Distillation.BeatGan;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Tests.Distillation.BeatGan;
using Distill.Training.BeatGan;
using Distill.Training.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Training.BeatGan;

/// <summary>File checkpoints of both BeatGAN trainers: a run interrupted after epoch k and resumed must equal, bit for bit, a
/// run that never stopped; unreadable or foreign checkpoints are refused.</summary>
public sealed class BeatGanCheckpointTests : IDisposable
{
    private static readonly BeatGanOptions Teacher = BeatGanKdTermsTests.TeacherSizes;
    private static readonly BeatGanOptions Student = BeatGanKdTermsTests.StudentSizes;
    private readonly string folder = Directory.CreateTempSubdirectory("distill-beatgan-ckpt-").FullName;
    private readonly Tensor train = SyntheticBeats.Normal(24, 1);
    private readonly Tensor validation = cat([SyntheticBeats.Normal(6, 101), SyntheticBeats.Abnormal(6, 102)], 0);
    private readonly int[] labels = [.. Enumerable.Repeat(0, 6), .. Enumerable.Repeat(1, 6)];

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string FilePath(string name) => Path.Combine(folder, name);

    // A threshold above the initial D loss (2 ln 2) re-draws D after every step, so every step draws from torch's generator:
    // a resume that did not restore it would diverge at once.
    private static BeatGanTrainingOptions Options(int epochs, double learningRate = 1e-3) =>
        new(Epochs: epochs, BatchSize: 8, LearningRate: learningRate, ReinitThreshold: 1.5, RestoreBest: false, Seed: 2);

    /// <summary>Records reports synchronously.</summary>
    private sealed class Recorder<T> : IProgress<T>
    {
        public List<T> Reports { get; } = [];
        public void Report(T value) => Reports.Add(value);
    }

    private (BeatGanGenerator G, BeatGanDiscriminator D, BeatGanTrainingResult Result, Recorder<BeatGanProgress> Progress) TrainTeacher(
        int initSeed, BeatGanTrainingOptions options, string? checkpoint)
    {
        Reproducibility.Seed(initSeed);
        var g = new BeatGanGenerator(Teacher);
        var d = new BeatGanDiscriminator(Teacher);
        var progress = new Recorder<BeatGanProgress>();
        var trainer = new BeatGanTrainer(g, d, options, checkpoint is null ? null : new CheckpointOptions(checkpoint, Settings: "synthetic beats"));
        var result = trainer.Fit(train, validation, labels, SyntheticBeats.Auc, progress);
        return (g, d, result, progress);
    }

    [Fact]
    public void ATeacherResumedAfterEpochTwoEqualsAnUninterruptedRunBitForBit()
    {
        var whole = TrainTeacher(initSeed: 5, Options(epochs: 4), checkpoint: null);
        string path = FilePath("teacher.ckpt");
        TrainTeacher(initSeed: 5, Options(epochs: 2), path);
        Assert.Equal(2, Checkpoint.ReadEpoch(path));

        // Other initial weights and another torch seed: everything the remaining epochs need must come from the file.
        var resumed = TrainTeacher(initSeed: 77, Options(epochs: 4), path);

        AssertSameState(whole.G, resumed.G, "generator");
        AssertSameState(whole.D, resumed.D, "discriminator");
        AssertSameTensors(whole.Result.Best.Generator, resumed.Result.Best.Generator, "best generator");
        AssertSameTensors(whole.Result.Best.Discriminator, resumed.Result.Best.Discriminator, "best discriminator");
        Assert.Equal(whole.Result.BestEpoch, resumed.Result.BestEpoch);
        Assert.Equal(whole.Result.BestValidationScore, resumed.Result.BestValidationScore);
        Assert.Equal(whole.Result.History.Select(h => h with { Duration = TimeSpan.Zero }), resumed.Result.History.Select(h => h with { Duration = TimeSpan.Zero }));
        Assert.Equal(whole.Result.Reinitialisations, resumed.Result.Reinitialisations);
        Assert.Contains(resumed.Result.Reinitialisations, r => r.Epoch > 2); // D was re-drawn from torch's generator after the resume
        Assert.Equal([3, 4], resumed.Progress.Reports.Where(r => r.CompletedEpoch is not null).Select(r => r.Epoch)); // epochs 1-2 not retrained
    }

    [Fact]
    public void ATeacherCancelledInsideEpochThreeResumesFromEpochTwoAndEqualsAnUninterruptedRun()
    {
        var whole = TrainTeacher(initSeed: 5, Options(epochs: 4), checkpoint: null);
        string path = FilePath("teacher.ckpt");
        using var cancel = new CancellationTokenSource();
        Reproducibility.Seed(5);
        var stopped = new BeatGanTrainer(new BeatGanGenerator(Teacher), new BeatGanDiscriminator(Teacher), Options(epochs: 4),
                                         new CheckpointOptions(path, Settings: "synthetic beats"));
        Assert.ThrowsAny<OperationCanceledException>(() => stopped.Fit(train, validation, labels, SyntheticBeats.Auc,
            new StopAt(epoch: 3, batch: 2, cancel), cancel.Token));
        Assert.Equal(2, Checkpoint.ReadEpoch(path)); // epoch 3's two steps were not saved

        var resumed = TrainTeacher(initSeed: 77, Options(epochs: 4), path);

        AssertSameState(whole.G, resumed.G, "generator");
        AssertSameState(whole.D, resumed.D, "discriminator");
        Assert.Equal(whole.Result.History.Select(h => h.ValidationScore), resumed.Result.History.Select(h => h.ValidationScore));
    }

    /// <summary>Cancels training once the given step has been reported.</summary>
    private sealed class StopAt(int epoch, int batch, CancellationTokenSource cancel) : IProgress<BeatGanProgress>
    {
        public void Report(BeatGanProgress value)
        {
            if (value.Epoch == epoch && value.Batch == batch && value.CompletedEpoch is null) cancel.Cancel();
        }
    }

    [Fact]
    public void ACompletedTeacherCheckpointRestoresTheFinalNetworksWithoutTraining()
    {
        string path = FilePath("teacher.ckpt");
        var whole = TrainTeacher(initSeed: 5, Options(epochs: 2) with { RestoreBest = true }, path);

        var restored = TrainTeacher(initSeed: 77, Options(epochs: 2) with { RestoreBest = true }, path);

        Assert.Empty(restored.Progress.Reports);
        AssertSameState(whole.G, restored.G, "generator");
        AssertSameState(whole.D, restored.D, "discriminator");
        Assert.Equal(whole.Result.BestEpoch, restored.Result.BestEpoch);
        Assert.Equal(2, restored.Result.History.Count);
    }

    private (BeatGanGenerator G, BeatGanDiscriminator D, CrdLossState Crd, IReadOnlyList<BeatGanStudentEpoch> History) TrainStudent(
        int termSeed, int epochs, string? checkpoint, long memoryRows = 24)
    {
        Reproducibility.Seed(9);
        var teacher = new BeatGanGenerator(Teacher);
        var teacherD = new BeatGanDiscriminator(Teacher);
        Reproducibility.Seed(termSeed); // CRD's embeddings and memory banks start from other rows in a resumed run
        var crd = BeatGanKdTerms.Create(BeatGanKdTerm.LatentContrastive, Student, Teacher, teacherD, memoryRows);
        var latent = BeatGanKdTerms.Create(BeatGanKdTerm.Latent, Student, Teacher, teacherD, train.shape[0]);
        var g = new BeatGanGenerator(Student);
        var d = new BeatGanDiscriminator(Student);
        var trainer = new BeatGanStudentTrainer(g, d, teacher, [new DistillationTerm(crd, 1.0), new DistillationTerm(latent, 1.0)],
            new BeatGanStudentOptions(Options(epochs)), checkpoint is null ? null : new CheckpointOptions(checkpoint, Settings: "synthetic beats"));
        var history = trainer.Fit(train);
        return (g, d, new CrdLossState(((nn.Module)crd).state_dict(), ((nn.Module)latent).state_dict()), history);
    }

    private sealed record CrdLossState(Dictionary<string, Tensor> Crd, Dictionary<string, Tensor> Regressor);

    [Fact]
    public void AStudentWithCrdResumedAfterEpochOneEqualsAnUninterruptedRunBitForBit()
    {
        var whole = TrainStudent(termSeed: 3, epochs: 3, checkpoint: null);
        string path = FilePath("student.ckpt");
        TrainStudent(termSeed: 3, epochs: 1, path);

        var resumed = TrainStudent(termSeed: 44, epochs: 3, path);

        AssertSameState(whole.G, resumed.G, "student generator");
        AssertSameState(whole.D, resumed.D, "student discriminator");
        AssertSameTensors(whole.Crd.Crd, resumed.Crd.Crd, "CRD embeddings and memory banks");
        AssertSameTensors(whole.Crd.Regressor, resumed.Crd.Regressor, "latent regressor");
        Assert.Equal(3, resumed.History.Count);
        for (int i = 0; i < 3; i++)
        {
            var (expected, actual) = (whole.History[i], resumed.History[i]);
            Assert.Equal((expected.Epoch, expected.Discriminator, expected.Reconstruction, expected.Reinitialisations),
                         (actual.Epoch, actual.Discriminator, actual.Reconstruction, actual.Reinitialisations));
            Assert.Equal(whole.History[i].Terms.OrderBy(kv => kv.Key), resumed.History[i].Terms.OrderBy(kv => kv.Key));
        }
    }

    [Fact]
    public void AStudentCheckpointWhoseMemoryBankDoesNotFitIsRefusedNamingTheTensor()
    {
        string path = FilePath("student.ckpt");
        TrainStudent(termSeed: 3, epochs: 1, path);

        var error = Assert.Throws<CorruptCheckpointException>(() => TrainStudent(termSeed: 3, epochs: 2, path, memoryRows: 30));

        Assert.Contains(path, error.Message);
        Assert.Contains("modules/terms/crd.pt", error.Message);
        Assert.Contains("[24, 128] in the file, [30, 128] in this run's terms/crd", error.Message);
    }

    [Fact]
    public void ATruncatedCheckpointIsRefusedNamingTheFileAndTheFix()
    {
        string path = FilePath("teacher.ckpt");
        TrainTeacher(initSeed: 5, Options(epochs: 1), path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<CorruptCheckpointException>(() => TrainTeacher(initSeed: 5, Options(epochs: 2), path));

        Assert.Equal(path, error.Path);
        Assert.Contains(path, error.Message);
        Assert.Contains("truncated or corrupt", error.Message);
        Assert.Contains("Delete the file to start afresh", error.Message);
    }

    [Fact]
    public void ACheckpointOfOtherSettingsIsRefused()
    {
        string path = FilePath("teacher.ckpt");
        TrainTeacher(initSeed: 5, Options(epochs: 1), path);

        var error = Assert.Throws<CorruptCheckpointException>(() => TrainTeacher(initSeed: 5, Options(epochs: 2, learningRate: 2e-3), path));

        Assert.Contains(path, error.Message);
        Assert.Contains("other settings", error.Message);
        Assert.Contains("Adam lr 0.001 ", error.Message);
        Assert.Contains("Adam lr 0.002 ", error.Message);
        Assert.Contains("Use another checkpoint path", error.Message);
    }

    [Fact]
    public void ACheckpointOfMoreEpochsOrAnotherFormatVersionIsRefused()
    {
        string path = FilePath("teacher.ckpt");
        TrainTeacher(initSeed: 5, Options(epochs: 2), path);

        var more = Assert.Throws<CorruptCheckpointException>(() => TrainTeacher(initSeed: 5, Options(epochs: 1), path));
        Assert.Contains("holds 2 completed epochs, more than the 1 of this run", more.Message);

        using (var zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("trainer.json")!;
            string json;
            using (var reader = new StreamReader(entry.Open())) json = reader.ReadToEnd();
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("trainer.json").Open());
            writer.Write(json.Replace($"\"FormatVersion\":{Checkpoint.FormatVersion}", "\"FormatVersion\":99"));
        }
        var version = Assert.Throws<CorruptCheckpointException>(() => TrainTeacher(initSeed: 5, Options(epochs: 2), path));
        Assert.Contains("format version 99", version.Message);
    }

    private static void AssertSameState(nn.Module expected, nn.Module actual, string what) =>
        AssertSameTensors(expected.state_dict(), actual.state_dict(), what);

    private static void AssertSameTensors(IReadOnlyDictionary<string, Tensor> expected, IReadOnlyDictionary<string, Tensor> actual, string what)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, tensor) in expected)
        {
            Assert.Equal(tensor.shape, actual[key].shape);
            Assert.True(tensor.eq(actual[key]).all().item<bool>(), $"{what}: '{key}' differs");
        }
    }
}
