using System.IO.Compression;
using System.Text.Json.Nodes;
using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Losses;
using Distill.Losses.Crd;
using Distill.Losses.Feature;
using Distill.Models;
using Distill.Runtime;
using Distill.Training;
using Distill.Training.Checkpoints;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Training.Checkpoints;

/// <summary>Resuming a distillation whose loss has state: CRD's memory banks, Z and sampler generator, a regressor's BatchNorm
/// statistics must come back from the checkpoint.</summary>
public sealed class LossStateCheckpointTests : IDisposable
{
    private static readonly TeacherStudentData Data = TeacherStudentData.BreastCancer(seed: 0, device: DistillDevice.Current);
    private static readonly TrainingOptions Options = new(Epochs: 4, BatchSize: 64, LearningRate: 0.01, EarlyStoppingPatience: 100);
    private static readonly CrdOptions Crd = new(FeatureDim: 16, Negatives: 64);
    private readonly string folder = Directory.CreateTempSubdirectory("distill-loss-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string CheckpointPath => Path.Combine(folder, "crd.ckpt");

    private sealed record Run(Mlp Student, nn.Module Loss, DistillationObjective Objective)
    {
        public CrdLoss Crd => (CrdLoss)Loss;
    }

    /// <summary>A fixed untrained teacher, a student from <paramref name="initSeed"/> and a CRD term whose banks are drawn
    /// after the student: two builds with the same seed are identical, with another seed every tensor differs.</summary>
    private static Run Build(int initSeed, bool ownGenerator, CrdOptions? options = null, long? rows = null)
    {
        long dataCount = rows ?? Data.Train.Count;
        return Build(initSeed, () => new CrdLoss(8, 8, dataCount, options ?? Crd, labels: Data.Train.Targets.narrow(0, 0, dataCount),
                                                 generator: ownGenerator ? new Generator(7) : null, device: DistillDevice.Current));
    }

    private static Run Build<TLoss>(int initSeed, Func<TLoss> loss) where TLoss : DistillationLoss
    {
        var task = ClassificationTask.For(Data.ClassCount);
        Reproducibility.Seed(1);
        var teacher = new Mlp([Data.TeacherView.Columns.Count, 16, 8], task.OutputCount, "teacher");
        Reproducibility.Seed(initSeed);
        var student = new Mlp([Data.StudentView.Columns.Count, 8], task.OutputCount, "student");
        var term = loss();
        var distiller = Distiller.Create(student, teacher, task.Loss, new DistillationTerm(term, 0.8));
        return new Run(student, term, new DistillationObjective(student, distiller, task));
    }

    [Theory]
    [InlineData(false)] // the sampler draws from torch's global generator (what MlpDistillation builds)
    [InlineData(true)]  // the sampler has its own generator
    public void InterruptedAndResumedCrdRunEqualsAnUninterruptedOne(bool ownGenerator)
    {
        var (straight, resumed) = InterruptAndResume(seed => Build(seed, ownGenerator));
        Assert.Equal(straight.Crd.Memory.Z, resumed.Crd.Memory.Z);
        Assert.Contains("contrast.memory_student", resumed.Loss.state_dict().Keys); // the banks are among the compared tensors
    }

    [Fact]
    public void AResumedFitNetRunKeepsItsRegressorsBatchNormStatistics()
    {
        var (_, resumed) = InterruptAndResume(seed => Build(seed, () => new FitNetLoss(LayerPair.Last, 8, 8)));
        Assert.Contains("norm.running_mean", resumed.Loss.state_dict().Keys);
    }

    [Fact]
    public void AStatelessTermIsSavedAsAnEmptyEntryAndResumes()
    {
        // Every loss is a module now; Bernoulli KD's state is empty, and a checkpoint holds (and a resume expects) its empty entry.
        var (_, resumed) = InterruptAndResume(seed => Build(seed, () => new BinaryKnowledgeDistillationLoss()));
        Assert.Empty(resumed.Loss.state_dict());
        using var zip = ZipFile.OpenRead(CheckpointPath);
        Assert.Contains(zip.Entries, entry => entry.FullName == "modules/losses/bkd.pt");
    }

    /// <summary>Trains a run straight through, and another built alike that stops after epoch 2 and is resumed by a third built
    /// from another seed; asserts that the resumed run ends bit-equal to the straight one: history, student and loss state.</summary>
    private (Run Straight, Run Resumed) InterruptAndResume(Func<int, Run> build)
    {
        var straight = build(2);
        var expected = new SupervisedTrainer(Options).Fit(straight.Objective, Data.Train, Data.Validation, seed: 5);

        var first = build(2);
        using var stop = new CancellationTokenSource();
        var interrupted = new SupervisedTrainer(Options, new CheckpointOptions(CheckpointPath))
            .Fit(first.Objective, Data.Train, Data.Validation, 5, new SyncProgress<EpochRecord>(r => { if (r.Epoch == 2) stop.Cancel(); }), stop.Token);
        Assert.Equal(2, interrupted.History.Count);

        var second = build(99); // other student weights and loss state (CRD's banks, its generator): all must come from the file
        var resumed = new SupervisedTrainer(Options, new CheckpointOptions(CheckpointPath)).Fit(second.Objective, Data.Train, Data.Validation, 5);

        Assert.Equal(expected.History.Select(r => r.TrainTerms.Values.ToArray()), resumed.History.Select(r => r.TrainTerms.Values.ToArray()));
        Assert.Equal(expected.BestEpoch, resumed.BestEpoch);
        AssertBitEqual(straight.Student.state_dict(), second.Student.state_dict(), "student");
        AssertBitEqual(straight.Loss.state_dict(), second.Loss.state_dict(), "loss");
        return (straight, second);
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
        Assert.Contains($"modules/losses/crd.pt: 'contrast.memory_student' is [{rows}, 16] in the file, [{rows - 1}, 16] in this run's losses/crd", fewerRows.Message);
        Assert.Contains("Build the networks and losses with the sizes, options and training rows of the run that wrote it", fewerRows.Message);
        Assert.Contains(CheckpointPath, fewerRows.Message);

        var otherDim = Assert.Throws<CorruptCheckpointException>(() => Resume(Build(2, false, Crd with { FeatureDim = 32 })));
        Assert.Contains($"'contrast.memory_teacher' is [{rows}, 16] in the file, [{rows}, 32] in this run's losses/crd", otherDim.Message);

        var ownGenerator = Assert.Throws<CorruptCheckpointException>(() => Resume(Build(2, ownGenerator: true)));
        Assert.Contains("rng.pt: missing the state of generator 'crd.sampler'", ownGenerator.Message);

        var settings = Assert.Throws<CorruptCheckpointException>(() =>
            new SupervisedTrainer(Options, new CheckpointOptions(CheckpointPath, Settings: "crd weight 0.5"))
                .Fit(Build(2, false).Objective, Data.Train, Data.Validation, 5));
        Assert.Contains("other settings (none given), not those of this run ('crd weight 0.5')", settings.Message);
    }

    [Fact]
    public void ACheckpointOfAnEarlierFormatIsRefusedSayingWhichItIs()
    {
        new SupervisedTrainer(Options with { Epochs = 1 }, new CheckpointOptions(CheckpointPath))
            .Fit(Build(2, ownGenerator: false).Objective, Data.Train, Data.Validation, 5);
        foreach (var (version, says) in new[] { (1, "version 1 is the BeatGAN trainers' format before the one trainer, or the classifier trainer's first, which held no loss state"),
                                                 (2, "version 2 is the classifier trainer's format before the one trainer") })
        {
            using (var zip = ZipFile.Open(CheckpointPath, ZipArchiveMode.Update))
            {
                var entry = zip.GetEntry("trainer.json")!;
                JsonNode state;
                using (var reader = entry.Open()) state = JsonNode.Parse(reader)!;
                state["FormatVersion"] = version;
                entry.Delete();
                using var writer = new StreamWriter(zip.CreateEntry("trainer.json").Open());
                writer.Write(state.ToJsonString());
            }
            var error = Assert.Throws<CorruptCheckpointException>(() => SupervisedTrainer.ReadCheckpoint(CheckpointPath));
            Assert.Contains($"format version {version}; this library reads version {Checkpoint.FormatVersion} ({says}", error.Message);
            Assert.Throws<CorruptCheckpointException>(() => Resume(Build(2, ownGenerator: false)));
        }
    }

    private TrainingResult Resume(Run run)
        => new SupervisedTrainer(Options, new CheckpointOptions(CheckpointPath)).Fit(run.Objective, Data.Train, Data.Validation, 5);
}
