using Distill.Models.BeatGan;
using Distill.Tests.Models.BeatGan;
using Distill.Tests.Reference;
using Distill.Training.BeatGan;
using static TorchSharp.torch;

namespace Distill.Tests.Training.BeatGan;

public class BeatGanTrainerTests
{
    private static readonly BeatGanOptions Small = new(LatentSize: 8, GeneratorWidth: 4, DiscriminatorWidth: 4);

    /// <summary>Records reports synchronously (Progress&lt;T&gt; would post them to a thread pool).</summary>
    private sealed class Recorder(Action<BeatGanProgress>? onReport = null) : IProgress<BeatGanProgress>
    {
        public List<BeatGanProgress> Reports { get; } = [];

        public void Report(BeatGanProgress value)
        {
            Reports.Add(value);
            onReport?.Invoke(value);
        }
    }

    private static (Tensor Beats, int[] Labels) Validation()
    {
        var beats = cat([SyntheticBeats.Normal(12, 101), SyntheticBeats.Abnormal(12, 102)], 0);
        return (beats, Enumerable.Repeat(0, 12).Concat(Enumerable.Repeat(1, 12)).ToArray());
    }

    [Fact]
    public void OneStepMatchesPyTorchLosses()
    {
        using var scope = NewDisposeScope();
        var step = BeatGanReference.Root.GetProperty("step");
        var trainer = new BeatGanTrainer(BeatGanReference.Generator(), BeatGanReference.Discriminator(),
            new BeatGanTrainingOptions(LearningRate: step.GetProperty("learning_rate").GetDouble(), Beta1: step.GetProperty("beta1").GetDouble(),
                AdversarialWeight: step.GetProperty("adversarial_weight").GetDouble()));

        var losses = trainer.TrainStep(BeatGanReference.Beats(step.GetProperty("input")));

        Tolerance.AssertClose(step.GetProperty("err_d_real").GetDouble(), losses.DiscriminatorReal, what: "D real BCE");
        Tolerance.AssertClose(step.GetProperty("err_d_fake").GetDouble(), losses.DiscriminatorFake, what: "D fake BCE");
        // The G losses come after D's first Adam update, so they also check that update.
        Tolerance.AssertClose(step.GetProperty("err_g_rec").GetDouble(), losses.Reconstruction, what: "G reconstruction MSE");
        Tolerance.AssertClose(step.GetProperty("err_g_adv").GetDouble(), losses.Adversarial, what: "G feature-matching MSE");
        Assert.False(losses.DiscriminatorReinitialised);
    }

    [Fact]
    public void OneGeneratorPassLeavesTheRunningStatisticsOfTheAuthorsTwoPasses()
    {
        // The authors run G twice on the batch (D's step and G's step); our single pass must update BatchNorm's running
        // statistics as those two passes did (PyTorch 1.13, tools/reference/beatgan.py).
        using var scope = NewDisposeScope();
        var step = BeatGanReference.Root.GetProperty("step");
        var g = BeatGanReference.Generator();
        var trainer = new BeatGanTrainer(g, BeatGanReference.Discriminator(),
            new BeatGanTrainingOptions(LearningRate: step.GetProperty("learning_rate").GetDouble(), Beta1: step.GetProperty("beta1").GetDouble(),
                AdversarialWeight: step.GetProperty("adversarial_weight").GetDouble()));

        trainer.TrainStep(BeatGanReference.Beats(step.GetProperty("input")));

        var expected = step.GetProperty("generator_running_after_step");
        var state = g.state_dict();
        Tolerance.AssertClose(ReferenceData.Doubles(expected.GetProperty("mean")), BeatGanReference.Values(state["encoder1.main.3.running_mean"]),
                              1e-5, 1e-7, "encoder running mean");
        Tolerance.AssertClose(ReferenceData.Doubles(expected.GetProperty("var")), BeatGanReference.Values(state["encoder1.main.3.running_var"]),
                              1e-5, 1e-7, "encoder running var");
        Tolerance.AssertClose(ReferenceData.Doubles(expected.GetProperty("decoder_mean")), BeatGanReference.Values(state["decoder.main.1.running_mean"]),
                              1e-5, 1e-7, "decoder running mean");
        Tolerance.AssertClose(ReferenceData.Doubles(expected.GetProperty("decoder_var")), BeatGanReference.Values(state["decoder.main.1.running_var"]),
                              1e-5, 1e-7, "decoder running var");
        Assert.All(g.modules().OfType<TorchSharp.Modules.BatchNorm1d>(), norm => Assert.Equal(0.1, norm.momentum)); // restored after the step
    }

    [Fact]
    public void ValidationScoresFollowTheChosenMode()
    {
        var (validation, labels) = Validation();
        double[] Scores(BeatGanValidation mode, out double[] recomputed)
        {
            using var scope = NewDisposeScope();
            Distill.Runtime.Reproducibility.Seed(4);
            var g = new BeatGanGenerator(Small);
            var d = new BeatGanDiscriminator(Small);
            var trainer = new BeatGanTrainer(g, d, new BeatGanTrainingOptions(Epochs: 1, BatchSize: 8, LearningRate: 1e-3, Validation: mode));
            double[] seen = [];
            trainer.Fit(SyntheticBeats.Normal(32, 3), validation, labels, (scores, l) => { seen = scores; return SyntheticBeats.Auc(scores, l); });
            recomputed = Distill.Anomaly.ReconstructionScores.Compute(g, validation);
            return seen;
        }

        var evaluation = Scores(BeatGanValidation.EvaluationMode, out var evaluationRecomputed);
        var training = Scores(BeatGanValidation.TrainingModeBatches, out _);

        Assert.Equal(evaluationRecomputed, evaluation); // evaluation mode: what test-time scoring of the kept weights gives
        Assert.True(evaluation.Zip(training).Max(p => Math.Abs(p.First - p.Second)) > 1e-3,
                    "the authors' training-mode batches must score otherwise than evaluation mode");
    }

    [Fact]
    public void EpochMetricsAreKeptInTheHistory()
    {
        using var scope = NewDisposeScope();
        var (validation, labels) = Validation();
        var g = new BeatGanGenerator(Small);
        var trainer = new BeatGanTrainer(g, new BeatGanDiscriminator(Small), new BeatGanTrainingOptions(Epochs: 3, BatchSize: 16, LearningRate: 1e-3));
        int calls = 0;

        var result = trainer.Fit(SyntheticBeats.Normal(32, 3), validation, labels, SyntheticBeats.Auc,
            epochMetrics: generator => new Dictionary<string, double> { ["call"] = ++calls, ["training"] = generator.training ? 1 : 0 });

        Assert.Equal([1.0, 2.0, 3.0], result.History.Select(e => e.Metrics!["call"]));
        Assert.All(result.History, e => Assert.Equal(1.0, e.Metrics!["training"])); // measured right after the epoch, G still in training mode
    }

    [Fact]
    public void StepsLeaveNoTensorAliveAndTheDiscriminatorTrainable()
    {
        var g = new BeatGanGenerator(Small);
        var d = new BeatGanDiscriminator(Small);
        var trainer = new BeatGanTrainer(g, d, new BeatGanTrainingOptions(BatchSize: 8));
        using var beats = SyntheticBeats.Normal(8, 7);
        trainer.TrainStep(beats); // creates gradients and Adam's moments, which live on
        long live = TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (int i = 0; i < 5; i++) trainer.TrainStep(beats);

        Assert.Equal(live, TorchSharp.DisposeScopeManager.Statistics.ThreadTotalLiveCount);
        Assert.All(d.parameters(), p => Assert.True(p.requires_grad)); // frozen only during the generator update
    }

    [Fact]
    public void AShortRunLowersTheReconstructionLoss()
    {
        using var scope = NewDisposeScope();
        Distill.Runtime.Reproducibility.Seed(1);
        var (validation, labels) = Validation();
        var trainer = new BeatGanTrainer(new BeatGanGenerator(Small), new BeatGanDiscriminator(Small),
            new BeatGanTrainingOptions(Epochs: 6, BatchSize: 8, LearningRate: 2e-3));

        var result = trainer.Fit(SyntheticBeats.Normal(64, 1), validation, labels, SyntheticBeats.Auc);

        Assert.Equal(6, result.History.Count);
        double first = result.History[0].ReconstructionLoss, last = result.History[^1].ReconstructionLoss;
        Assert.True(last < 0.6 * first, $"reconstruction MSE went from {first} to {last}: {string.Join(", ", result.History.Select(e => e.ReconstructionLoss))}");
        Assert.All(result.History, e => Assert.InRange(e.ValidationScore, 0, 1));
        Assert.Empty(result.Reinitialisations);
    }

    [Fact]
    public void TheDiscriminatorIsReinitialisedWhenItsLossFallsBelowTheThreshold()
    {
        using var scope = NewDisposeScope();
        var (validation, labels) = Validation();
        var d = new BeatGanDiscriminator(Small);
        var trainer = new BeatGanTrainer(new BeatGanGenerator(Small), d,
            new BeatGanTrainingOptions(Epochs: 2, BatchSize: 16, ReinitThreshold: 1e3, RestoreBest: false));
        var weights = new List<Tensor>();
        var recorder = new Recorder(r => weights.Add(d.state_dict()["features.5.weight"].clone()));

        var result = trainer.Fit(SyntheticBeats.Normal(48, 2), validation, labels, SyntheticBeats.Auc, recorder);

        Assert.Equal(6, result.Reinitialisations.Count); // 3 batches x 2 epochs, every loss is below 1000
        Assert.Equal([1, 2, 3, 1, 2, 3], result.Reinitialisations.Select(r => r.Batch));
        Assert.All(result.History, e => Assert.Equal(3, e.Reinitialisations));
        Assert.All(recorder.Reports, r => Assert.True(r.Step.DiscriminatorReinitialised));
        // A re-drawn D is not a small Adam step away from the previous one.
        Assert.True((weights[1] - weights[0]).abs().max().item<float>() > 1e-2);
    }

    [Fact]
    public void TheBestEpochIsKeptAndRestored()
    {
        using var scope = NewDisposeScope();
        var (validation, labels) = Validation();
        var g = new BeatGanGenerator(Small);
        var d = new BeatGanDiscriminator(Small);
        var trainer = new BeatGanTrainer(g, d, new BeatGanTrainingOptions(Epochs: 3, BatchSize: 16, LearningRate: 1e-3));
        double[] scripted = [0.6, 0.9, 0.7];
        int calls = 0;
        BeatGanCheckpoint? lastEpoch = null;
        var recorder = new Recorder(r => { if (r.CompletedEpoch?.Epoch == 3) lastEpoch = BeatGanCheckpoint.Capture(g, d); });

        var result = trainer.Fit(SyntheticBeats.Normal(32, 3), validation, labels, (_, _) => scripted[calls++], recorder);

        Assert.Equal(2, result.BestEpoch);
        Assert.Equal(0.9, result.BestValidationScore);
        Assert.Equal([true, true, false], result.History.Select(e => e.IsBest));
        foreach (var (name, tensor) in g.state_dict())
            Assert.True(Same(tensor, result.Best.Generator[name]), $"{name} was not restored from the best epoch");
        Assert.Contains(result.Best.Generator, p => !Same(p.Value, lastEpoch!.Generator[p.Key]));
        Assert.True(Same(d.state_dict()["classifier.0.weight"], result.Best.Discriminator["classifier.0.weight"]));
    }

    private static bool Same(Tensor a, Tensor b) => a.eq(b).all().item<bool>();

    [Fact]
    public void ProgressIsReportedAfterEveryStepAndEveryEpoch()
    {
        using var scope = NewDisposeScope();
        var (validation, labels) = Validation();
        var trainer = new BeatGanTrainer(new BeatGanGenerator(Small), new BeatGanDiscriminator(Small),
            new BeatGanTrainingOptions(Epochs: 2, BatchSize: 16));
        var recorder = new Recorder();

        trainer.Fit(SyntheticBeats.Normal(40, 4), validation, labels, SyntheticBeats.Auc, recorder); // 2 full batches, 8 beats dropped

        Assert.Equal(2 * (2 + 1), recorder.Reports.Count);
        Assert.Equal([(1, 1), (1, 2), (1, 2), (2, 1), (2, 2), (2, 2)], recorder.Reports.Select(r => (r.Epoch, r.Batch)));
        Assert.Equal([false, false, true, false, false, true], recorder.Reports.Select(r => r.CompletedEpoch is not null));
        Assert.All(recorder.Reports, r => Assert.True(r.Step.Reconstruction > 0 && r.Step.Discriminator > 0 && r.Batches == 2));
    }

    [Fact]
    public void BadTrainingDataIsRejectedWithTheFix()
    {
        using var scope = NewDisposeScope();
        var (validation, labels) = Validation();
        var trainer = new BeatGanTrainer(new BeatGanGenerator(Small), new BeatGanDiscriminator(Small), new BeatGanTrainingOptions(Epochs: 1, BatchSize: 16));
        var normal = SyntheticBeats.Normal(32, 5);

        Assert.Contains("one label per beat", Assert.Throws<ArgumentException>(() => trainer.Fit(normal, validation, labels[1..], SyntheticBeats.Auc)).Message);
        Assert.Contains("both present", Assert.Throws<ArgumentException>(() => trainer.Fit(normal, validation, new int[labels.Length], SyntheticBeats.Auc)).Message);
        Assert.Contains("no full batch", Assert.Throws<ArgumentException>(() => trainer.Fit(normal[..8], validation, labels, SyntheticBeats.Auc)).Message);
        var withNaN = normal.clone();
        withNaN[3, 0, 10] = tensor(float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => trainer.Fit(withNaN, validation, labels, SyntheticBeats.Auc)).Message);
        Assert.Contains("[N, 1, 320]", Assert.Throws<ArgumentException>(() => trainer.Fit(normal.squeeze(1), validation, labels, SyntheticBeats.Auc)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BeatGanTrainingOptions(BatchSize: 1).Validated());
        Assert.Contains("NaN", Assert.Throws<InvalidOperationException>(() => trainer.Fit(normal, validation, labels, (_, _) => double.NaN)).Message);
    }
}
