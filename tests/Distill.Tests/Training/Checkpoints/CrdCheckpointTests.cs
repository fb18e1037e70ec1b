using System.IO.Compression;
using System.Text.Json.Nodes;
using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Losses.Crd;
using Distill.Models;
using Distill.Runtime;
using Distill.Training;
using Distill.Training.Checkpoints;
using static TorchSharp.torch;

namespace Distill.Tests.Training.Checkpoints;

/// <summary>Resuming a CRD distillation: the memory banks, Z and the sampler's generator must come back from the checkpoint.</summary>
public sealed class CrdCheckpointTests : IDisposable
{
    private static readonly TeacherStudentData Data = TeacherStudentData.BreastCancer(seed: 0);
    private static readonly TrainingOptions Options = new(Epochs: 4, BatchSize: 64, LearningRate: 0.01, EarlyStoppingPatience: 100);
    private static readonly CrdOptions Crd = new(FeatureDim: 16, Negatives: 64);
    private readonly string folder = Directory.CreateTempSubdirectory("distill-crd-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string CheckpointPath => Path.Combine(folder, "crd.ckpt");

    private sealed record Run(Mlp Student, CrdLoss Crd, DistillationObjective Objective);

    /// <summary>A fixed untrained teacher, a student from <paramref name="initSeed"/> and a CRD term whose banks are drawn
    /// after the student: two builds with the same seed are identical, with another seed every tensor differs.</summary>
    private static Run Build(int initSeed, bool ownGenerator, CrdOptions? options = null, long? rows = null)
    {
        var task = ClassificationTask.For(Data.ClassCount);
        Reproducibility.Seed(1);
        var teacher = new Mlp([Data.TeacherView.Columns.Count, 16, 8], task.OutputCount, "teacher");
        Reproducibility.Seed(initSeed);
        var student = new Mlp([Data.StudentView.Columns.Count, 8], task.OutputCount, "student");
        long dataCount = rows ?? Data.Train.Count;
        var crd = new CrdLoss(8, 8, dataCount, options ?? Crd, labels: Data.Train.Targets.narrow(0, 0, dataCount),
                              generator: ownGenerator ? new Generator(7) : null);
        var distiller = Distiller.Create(student, teacher, task.Loss, new DistillationTerm(crd, 0.8));
        return new Run(student, crd, new DistillationObjective(student, distiller, task));
    }

    [Theory]
    [InlineData(false)] // the sampler draws from torch's global generator (what MlpDistillation builds)
    [InlineData(true)]  // the sampler has its own generator
    public void InterruptedAndResumedCrdRunEqualsAnUninterruptedOne(bool ownGenerator)
    {
        var straight = Build(initSeed: 2, ownGenerator);
        var expected = new SupervisedTrainer(Options).Fit(straight.Objective, Data.Train, Data.Validation, seed: 5);

        var first = Build(initSeed: 2, ownGenerator);
        using var stop = new CancellationTokenSource();
        var interrupted = new SupervisedTrainer(Options, new CheckpointOptions(CheckpointPath))
            .Fit(first.Objective, Data.Train, Data.Validation, 5, new SyncProgress<EpochRecord>(r => { if (r.Epoch == 2) stop.Cancel(); }), stop.Token);
        Assert.Equal(2, interrupted.History.Count);

        var second = Build(initSeed: 99, ownGenerator); // other student weights, memory banks and generator: all must come from the file
        var resumed = new SupervisedTrainer(Options, new CheckpointOptions(CheckpointPath)).Fit(second.Objective, Data.Train, Data.Validation, 5);

        Assert.Equal(expected.History.Select(r => r.TrainTerms["crd"]), resumed.History.Select(r => r.TrainTerms["crd"]));
        Assert.Equal(expected.BestEpoch, resumed.BestEpoch);
        AssertBitEqual(straight.Student.state_dict(), second.Student.state_dict(), "student");
        AssertBitEqual(straight.Crd.state_dict(), second.Crd.state_dict(), "CRD loss");
        Assert.Equal(straight.Crd.Memory.Z, second.Crd.Memory.Z);
        Assert.Contains("contrast.memory_student", second.Crd.state_dict().Keys); // the banks are among the compared tensors
    }

    private static void AssertBitEqual(IDictionary<string, Tensor> expected, IDictionary<string, Tensor> actual, string what)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (key, tensor) in actual)
            Assert.True(tensor.cpu().bytes.SequenceEqual(expected[key].cpu().bytes), $"{what}: '{key}' differs after resuming");
    }

    [Fact]
    public void ACheckpointWhoseLossStateDoesNotFitIsRefusedNamingTheEntryAndTheFix()
    {
        new SupervisedTrainer(Options with { Epochs = 1 }, new CheckpointOptions(CheckpointPath))
            .Fit(Build(2, ownGenerator: false).Objective, Data.Train, Data.Validation, 5);
        long rows = Data.Train.Count;

        var fewerRows = Assert.Throws<CorruptCheckpointException>(() => Resume(Build(2, false, rows: rows - 1)));
        Assert.Contains($"loss 'crd' (losses/crd.pt): 'contrast.memory_student' is [{rows}, 16] in the file, [{rows - 1}, 16] in this run's loss", fewerRows.Message);
        Assert.Contains("build the losses with the options and training rows of the run that wrote the checkpoint", fewerRows.Message);
        Assert.Contains(CheckpointPath, fewerRows.Message);

        var otherDim = Assert.Throws<CorruptCheckpointException>(() => Resume(Build(2, false, Crd with { FeatureDim = 32 })));
        Assert.Contains($"'contrast.memory_teacher' is [{rows}, 16] in the file, [{rows}, 32] in this run's loss", otherDim.Message);

        var ownGenerator = Assert.Throws<CorruptCheckpointException>(() => Resume(Build(2, ownGenerator: true)));
        Assert.Contains("rng.pt: missing the state of generator 'crd.sampler'", ownGenerator.Message);

        var settings = Assert.Throws<CorruptCheckpointException>(() =>
            new SupervisedTrainer(Options, new CheckpointOptions(CheckpointPath, Settings: "crd weight 0.5"))
                .Fit(Build(2, false).Objective, Data.Train, Data.Validation, 5));
        Assert.Contains("other settings (none given), not those of this run ('crd weight 0.5')", settings.Message);
    }

    [Fact]
    public void AVersionOneCheckpointIsRefusedSayingItHoldsNoLossState()
    {
        new SupervisedTrainer(Options with { Epochs = 1 }, new CheckpointOptions(CheckpointPath))
            .Fit(Build(2, ownGenerator: false).Objective, Data.Train, Data.Validation, 5);
        using (var zip = ZipFile.Open(CheckpointPath, ZipArchiveMode.Update))
        {
            var entry = zip.GetEntry("trainer.json")!;
            JsonNode state;
            using (var reader = entry.Open()) state = JsonNode.Parse(reader)!;
            state["FormatVersion"] = 1;
            entry.Delete();
            using var writer = new StreamWriter(zip.CreateEntry("trainer.json").Open());
            writer.Write(state.ToJsonString());
        }
        var error = Assert.Throws<CorruptCheckpointException>(() => TrainingCheckpoint.ReadState(CheckpointPath));
        Assert.Contains("format version 1; this library reads version 2 (version 1 holds no loss state such as CRD's memory banks)", error.Message);
        Assert.Throws<CorruptCheckpointException>(() => Resume(Build(2, ownGenerator: false)));
    }

    private TrainingResult Resume(Run run)
        => new SupervisedTrainer(Options, new CheckpointOptions(CheckpointPath)).Fit(run.Objective, Data.Train, Data.Validation, 5);
}
