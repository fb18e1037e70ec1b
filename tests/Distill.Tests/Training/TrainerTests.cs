using System.Text.Json;
using Distill.Training;
using Distill.Training.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Tests.Training;

/// <summary>The one trainer on an objective that is neither the tabular nor the BeatGAN one: its own batch type, two
/// optimisers stepped one after the other (as a GAN's discriminator and generator are), its own counters.</summary>
public sealed class TrainerTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-trainer-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string PathOf(string name) => Path.Combine(folder, name);

    /// <summary>A batch of the test's own type.</summary>
    private sealed record PointBatch(Tensor X, Tensor Y);

    /// <summary>Per epoch: its mean losses and the objective's running count of steps.</summary>
    private sealed record PointEpoch(int Epoch, double Fit, double Critic, int Steps);

    /// <summary>Fits y = 3x − 1 with a linear model while a second module (a "critic", with its own Adam) learns the
    /// residual's scale from the detached predictions, before the model's step: two optimisers per step.</summary>
    private sealed class PointObjective : IEpochObjective<PointBatch, PointEpoch>
    {
        private readonly Tensor x;
        private readonly Tensor y;
        private readonly Linear model;
        private readonly Linear critic;
        private readonly Adam modelAdam;
        private readonly Adam criticAdam;
        private int steps;

        public PointObjective(int initSeed, int epochs, int seed = 7, Func<int, int, bool>? poison = null)
        {
            using (var g = new torch.Generator(11))
            {
                x = rand(new long[] { 50, 1 }, generator: g);
                y = 3 * x - 1 + 0.05 * randn(new long[] { 50, 1 }, generator: g);
            }
            torch.manual_seed(initSeed);
            model = nn.Linear(1, 1);
            critic = nn.Linear(1, 1);
            modelAdam = optim.Adam(model.parameters(), 0.05);
            criticAdam = optim.Adam(critic.parameters(), 0.01);
            Epochs = epochs;
            Order = new EpochSeededOrder(50, 8, seed);
            Poison = poison ?? ((_, _) => false);
        }

        private Func<int, int, bool> Poison { get; }

        public Linear Model => model;

        public int Epochs { get; }

        public IBatchOrder Order { get; }

        public string Settings => $"points; {Order.Describe()}";

        public IReadOnlyDictionary<string, nn.Module> Modules => new Dictionary<string, nn.Module> { ["model"] = model, ["critic"] = critic };

        public IReadOnlyDictionary<string, OptimizerHelper> Optimizers => new Dictionary<string, OptimizerHelper> { ["critic"] = criticAdam, ["model"] = modelAdam };

        public IReadOnlyDictionary<string, torch.Generator> Generators { get; } = new Dictionary<string, torch.Generator>();

        public IReadOnlyDictionary<string, ModelSnapshot> Best { get; } = new Dictionary<string, ModelSnapshot>();

        public bool Stopped => false;

        public IDisposable? Prepare() => null;

        public PointBatch Batch(long[] rows)
        {
            var index = tensor(rows);
            return new PointBatch(x.index_select(0, index), y.index_select(0, index));
        }

        public StepValues Step(PointBatch batch, int epoch, int index)
        {
            criticAdam.zero_grad();
            Tensor prediction;
            using (no_grad()) prediction = model.call(batch.X);
            var criticLoss = (critic.call(prediction) - batch.Y).pow(2).mean();
            criticLoss.backward();
            criticAdam.step();
            modelAdam.zero_grad();
            var fit = (model.call(batch.X) - batch.Y).pow(2).mean();
            if (Poison(epoch, index)) fit = fit * double.NaN;
            fit.backward();
            modelAdam.step();
            steps++;
            double f = fit.item<float>(), c = criticLoss.item<float>();
            return new StepValues(f, new Dictionary<string, double> { ["fit"] = f, ["critic"] = c });
        }

        public EpochEnd<PointEpoch> EndEpoch(int epoch, double total, IReadOnlyDictionary<string, double> terms, EpochTime elapsed)
            => new(new PointEpoch(epoch, terms["fit"], terms["critic"], steps), Stop: false);

        public JsonElement SaveState() => JsonSerializer.SerializeToElement(new { Steps = steps });

        public void RestoreState(JsonElement state, IReadOnlyList<PointEpoch> history) => steps = state.GetProperty("Steps").GetInt32();
    }

    private static byte[] Weights(params nn.Module[] modules)
        => modules.SelectMany(m => m.state_dict().OrderBy(kv => kv.Key, StringComparer.Ordinal).SelectMany(kv => kv.Value.cpu().bytes.ToArray())).ToArray();

    [Fact]
    public void AnObjectiveOfItsOwnBatchTypeWithTwoOptimisersResumesBitIdentically()
    {
        var straight = new PointObjective(initSeed: 1, epochs: 4);
        var expected = new Trainer().Fit(straight);

        string path = PathOf("points.ckpt");
        var first = new PointObjective(initSeed: 1, epochs: 4);
        using var stop = new CancellationTokenSource();
        var interrupted = new Trainer(new CheckpointOptions(path)).Fit(first, new SyncProgress<PointEpoch>(e => { if (e.Epoch == 2) stop.Cancel(); }),
                                                                       cancellation: stop.Token);
        Assert.True(interrupted.Cancelled);
        Assert.Equal(2, interrupted.History.Count);
        Assert.Equal(2, Checkpoint.ReadEpoch(path));

        var resumedObjective = new PointObjective(initSeed: 99, epochs: 4); // other initial weights: all must come from the file
        var resumed = new Trainer(new CheckpointOptions(path)).Fit(resumedObjective);

        Assert.False(resumed.Cancelled);
        Assert.Equal(expected.History, resumed.History); // the losses, and the objective's own step count restored from its state
        Assert.Equal(Weights(straight.Model), Weights(resumedObjective.Model));
        Assert.Equal(4 * 7, resumed.History[^1].Steps); // 50 rows in batches of 8: six of 8 and one of 2
    }

    [Fact]
    public void ACheckpointOfAnotherRunIsRefusedNamingTheDifference()
    {
        string path = PathOf("other.ckpt");
        new Trainer(new CheckpointOptions(path, Settings: "lr 0.05")).Fit(new PointObjective(initSeed: 1, epochs: 1));

        var otherSettings = Assert.Throws<CorruptCheckpointException>(() =>
            new Trainer(new CheckpointOptions(path, Settings: "lr 0.1")).Fit(new PointObjective(initSeed: 1, epochs: 2)));
        Assert.Contains("other settings ('lr 0.05'), not those of this run ('lr 0.1')", otherSettings.Message);

        var otherOrder = Assert.Throws<CorruptCheckpointException>(() =>
            new Trainer(new CheckpointOptions(path, Settings: "lr 0.05")).Fit(new PointObjective(initSeed: 1, epochs: 2, seed: 8)));
        Assert.Contains("(seed 7, epoch)", otherOrder.Message);
        Assert.Contains("(seed 8, epoch)", otherOrder.Message);

        var fewer = Assert.Throws<CorruptCheckpointException>(() =>
            new Trainer(new CheckpointOptions(path, Settings: "lr 0.05")).Fit(new PointObjective(initSeed: 1, epochs: 0)));
        Assert.Contains("holds 1 completed epochs, more than the 0 of this run", fewer.Message);
    }

    [Fact]
    public void ANonFiniteStepStopsTheRunNamingTheTermAndKeepsTheLastCheckpoint()
    {
        string path = PathOf("nan.ckpt");
        var objective = new PointObjective(initSeed: 1, epochs: 3, poison: (epoch, index) => epoch == 2 && index == 3);
        var error = Assert.Throws<NonFiniteLossException>(() => new Trainer(new CheckpointOptions(path)).Fit(objective));
        Assert.Equal((2, 3), (error.Epoch, error.Batch));
        Assert.Equal(["fit"], error.NonFiniteTerms);
        Assert.Contains($"last good checkpoint (epoch 1) is kept at '{path}'", error.Message);
        Assert.Equal(1, Checkpoint.ReadEpoch(path));
    }

    [Fact]
    public void EpochSeededOrderIsAFunctionOfSeedAndEpochAndDropsALoneLastRow()
    {
        var order = new EpochSeededOrder(17, 8, seed: 3);
        var third = order.Epoch(3);
        Assert.Equal(third, new EpochSeededOrder(17, 8, seed: 3).Epoch(3)); // no state carried between epochs
        Assert.NotEqual(third, order.Epoch(4));
        Assert.Equal([8, 8], third.Select(b => b.Length)); // the 17th row alone cannot make a BatchNorm batch
        Assert.Equal(16, third.SelectMany(b => b).Distinct().Count());
        Assert.Equal([8, 8, 2], new EpochSeededOrder(18, 8, seed: 3).Epoch(1).Select(b => b.Length));
    }

    [Fact]
    public void RunSeededOrderReplaysTheShufflesOfTheEpochsBeforeTheOneAskedFor()
    {
        var sequential = new RunSeededOrder(20, 6, seed: 5);
        var epochs = Enumerable.Range(1, 4).Select(sequential.Epoch).ToArray();
        Assert.Equal(epochs[2], new RunSeededOrder(20, 6, seed: 5).Epoch(3)); // a resumed run's first epoch
        Assert.Equal(epochs[0], sequential.Epoch(1));                         // asking again restarts the generator
        Assert.All(epochs, e => Assert.Equal([6, 6, 6], e.Select(b => b.Length))); // the incomplete last batch is dropped
        Assert.NotEqual(epochs[0], epochs[1]);
        // One Random seeded once, shuffling 0..N-1 each epoch: the BeatGAN authors' order.
        var random = new Random(5);
        for (int epoch = 0; epoch < 4; epoch++)
        {
            var rows = Enumerable.Range(0, 20).Select(i => (long)i).ToArray();
            random.Shuffle(rows);
            Assert.Equal(rows[..18], epochs[epoch].SelectMany(b => b));
        }
    }
}
