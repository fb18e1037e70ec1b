using Distill.Data.Tabular;
using Distill.Models;
using Distill.Runtime;
using Distill.Training;
using Distill.Training.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Tests.Training.Checkpoints;

public sealed class CheckpointTests : IDisposable
{
    private static readonly TeacherStudentData Data = TeacherStudentData.BreastCancer(seed: 0);
    // A high learning rate makes the plateau schedule halve the rate within a few epochs, so its counters matter.
    private static readonly TrainingOptions Options = new(Epochs: 6, BatchSize: 32, LearningRate: 0.05, EarlyStoppingPatience: 100);
    private readonly string folder = Directory.CreateTempSubdirectory("distill-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string CheckpointPath => Path.Combine(folder, "run.ckpt");

    private static (Mlp Model, ClassifierObjective Objective) Fresh(int initSeed)
    {
        Reproducibility.Seed(initSeed);
        var model = new Mlp([30, 16, 8]);
        return (model, new ClassifierObjective(model, ClassificationTask.For(2), InputView.Teacher));
    }

    [Fact]
    public void InterruptedAndResumedRunEqualsAnUninterruptedOne()
    {
        var (straightModel, straight) = Fresh(1);
        var (firstModel, first) = Fresh(2);
        // Same initial weights by copying, not by reseeding: test classes run in parallel and share torch's generator.
        firstModel.load_state_dict(straightModel.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone()));
        var expected = new SupervisedTrainer(Options).Fit(straight, Data.Train, Data.Validation, seed: 5);

        using var stop = new CancellationTokenSource();
        var interrupted = new SupervisedTrainer(Options, new CheckpointOptions(CheckpointPath))
            .Fit(first, Data.Train, Data.Validation, 5, new SyncProgress<EpochRecord>(r => { if (r.Epoch == 3) stop.Cancel(); }), stop.Token);
        Assert.Equal(3, interrupted.History.Count);

        var (resumedModel, second) = Fresh(99); // different initial weights: everything must come from the checkpoint
        var resumed = new SupervisedTrainer(Options, new CheckpointOptions(CheckpointPath)).Fit(second, Data.Train, Data.Validation, 5);

        Assert.Equal(expected.History.Select(r => r.TrainLoss), resumed.History.Select(r => r.TrainLoss));
        Assert.Equal(expected.History.Select(r => r.LearningRate), resumed.History.Select(r => r.LearningRate));
        Assert.Equal(expected.History.Select(r => r.Validation.Loss), resumed.History.Select(r => r.Validation.Loss));
        Assert.True(expected.History.Select(r => r.LearningRate).Distinct().Count() > 1, "the schedule should have reduced the rate");
        Assert.Equal(expected.BestEpoch, resumed.BestEpoch);
        var want = straightModel.state_dict();
        foreach (var (key, tensor) in resumedModel.state_dict())
            Assert.True(tensor.cpu().bytes.SequenceEqual(want[key].cpu().bytes), $"{key} differs after resuming");
    }

    [Fact]
    public void TruncatedOrForeignCheckpointsAreRefusedNamingTheFile()
    {
        var (_, objective) = Fresh(1);
        new SupervisedTrainer(Options with { Epochs = 1 }, new CheckpointOptions(CheckpointPath)).Fit(objective, Data.Train, Data.Validation, 5);
        byte[] bytes = File.ReadAllBytes(CheckpointPath);

        File.WriteAllBytes(CheckpointPath, bytes[..(bytes.Length * 2 / 3)]);
        var truncated = Assert.Throws<CorruptCheckpointException>(() => Resume(seed: 5));
        Assert.Contains(CheckpointPath, truncated.Message);
        Assert.Contains("truncated or corrupt", truncated.Message);

        File.WriteAllBytes(CheckpointPath, bytes);
        var seed = Assert.Throws<CorruptCheckpointException>(() => Resume(seed: 6));
        Assert.Contains("(seed 5, epoch)", seed.Message); // the batch order of the file's run, and of this one
        Assert.Contains("(seed 6, epoch)", seed.Message);

        var wider = new ClassifierObjective(new Mlp([30, 17, 8]), ClassificationTask.For(2), InputView.Teacher);
        var shape = Assert.Throws<CorruptCheckpointException>(() =>
            new SupervisedTrainer(Options, new CheckpointOptions(CheckpointPath)).Fit(wider, Data.Train, Data.Validation, 5));
        Assert.Contains("modules/model.pt: 'blocks.0.linear.weight' is [16, 30] in the file, [17, 30] in this run's model", shape.Message);
    }

    private TrainingResult Resume(int seed)
    {
        var (_, objective) = Fresh(1);
        return new SupervisedTrainer(Options, new CheckpointOptions(CheckpointPath)).Fit(objective, Data.Train, Data.Validation, seed);
    }

    [Fact]
    public void NonFiniteTermNamesEpochBatchAndTermAndKeepsTheLastGoodCheckpoint()
    {
        var (model, inner) = Fresh(1);
        var poisoned = new PoisonedObjective(inner, model, poisonAtCall: 2 * BatchesPerEpoch() + 2); // epoch 3, batch 2
        var error = Assert.Throws<NonFiniteLossException>(() =>
            new SupervisedTrainer(Options, new CheckpointOptions(CheckpointPath)).Fit(poisoned, Data.Train, Data.Validation, 5));
        Assert.Equal(3, error.Epoch);
        Assert.Equal(2, error.Batch);
        Assert.Equal(["kd"], error.NonFiniteTerms);
        Assert.Contains("epoch 3, batch 2", error.Message);
        Assert.Contains("kd=NaN", error.Message);
        Assert.Contains($"last good checkpoint (epoch 2) is kept at '{CheckpointPath}'", error.Message);

        var resumed = new SupervisedTrainer(Options with { Epochs = 2 }, new CheckpointOptions(CheckpointPath)).Fit(inner, Data.Train, Data.Validation, 5);
        Assert.Equal(2, resumed.History.Count); // the kept checkpoint is readable and complete
    }

    private static int BatchesPerEpoch() => (int)Math.Ceiling(Data.Train.Count / 32.0) - (Data.Train.Count % 32 == 1 ? 1 : 0);

    [Fact]
    public void AFailedWriteLeavesThePreviousFileIntactAndNoTemporaryFile()
    {
        AtomicFile.Write(CheckpointPath, s => s.Write("good"u8));
        var error = Assert.Throws<FileWriteException>(() => AtomicFile.Write(CheckpointPath, s =>
        {
            s.Write("half-writ"u8);
            throw new IOException("disk full");
        }));
        Assert.StartsWith($"Cannot write '{CheckpointPath}': disk full. Free disk space", error.Message);
        Assert.Equal("good", File.ReadAllText(CheckpointPath));
        Assert.Equal([CheckpointPath], Directory.GetFiles(folder));
    }

    /// <summary>Adds a "kd" term that is NaN on one chosen call of <see cref="Loss"/>, as a diverging distillation term would be.</summary>
    private sealed class PoisonedObjective(ITrainingObjective inner, Mlp model, int poisonAtCall) : ITrainingObjective
    {
        private int calls;

        public nn.Module Model => model;

        public void SetTraining(bool training) => inner.SetTraining(training);

        public IEnumerable<Parameter> Parameters() => inner.Parameters();

        public IReadOnlyDictionary<string, nn.Module> LossModules => inner.LossModules;

        public IReadOnlyDictionary<string, Generator> Generators => inner.Generators;

        public IDisposable? CacheTeacherPasses(TabularSplit train, int batchSize) => inner.CacheTeacherPasses(train, batchSize);

        public StepLoss Loss(TabularSplit batch)
        {
            var step = inner.Loss(batch);
            var kd = ++calls == poisonAtCall ? tensor(float.NaN) : zeros_like(step.Total);
            return new StepLoss(step.Total + kd, new Dictionary<string, Tensor>(step.Terms) { ["kd"] = kd });
        }

        public ClassifierEvaluation Evaluate(TabularSplit split) => inner.Evaluate(split);
    }
}
