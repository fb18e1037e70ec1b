using Distill.Anomaly;
using Distill.Models.BeatGan;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Training.BeatGan;

/// <summary>Tests of <see cref="ReconstructionScores"/> (lib/Anomaly), kept next to the trainer that uses them.</summary>
public class ReconstructionScoresTests
{
    private static readonly BeatGanOptions Small = new(LatentSize: 8, GeneratorWidth: 4, DiscriminatorWidth: 4);

    /// <summary>Reconstructs every beat as zeros, so its error is the beat's mean square.</summary>
    private sealed class ZeroReconstructor() : nn.Module<Tensor, Tensor>("ZeroReconstructor")
    {
        public override Tensor forward(Tensor input) => zeros_like(input);
    }

    [Fact]
    public void ErrorsAreEachBeatsMeanSquaredError()
    {
        using var scope = NewDisposeScope();
        var beats = SyntheticBeats.Normal(5, 10);
        var values = beats.data<float>().ToArray();
        var expected = Enumerable.Range(0, 5).Select(b => values.Skip(b * 320).Take(320).Average(v => (double)v * v)).ToArray();

        var errors = ReconstructionScores.Errors(new ZeroReconstructor(), beats, batchSize: 2);

        Reference.Tolerance.AssertClose(expected, errors.cpu().to_type(ScalarType.Float64).data<double>().ToArray(), what: "error");
    }

    [Fact]
    public void ScoresSpanZeroToOneAndKeepTheErrorOrder()
    {
        using var scope = NewDisposeScope();
        var g = new BeatGanGenerator(Small);
        var beats = cat([SyntheticBeats.Normal(10, 11), SyntheticBeats.Abnormal(10, 12)], 0);

        var scores = ReconstructionScores.Compute(g, beats, batchSize: 7);
        var errors = ReconstructionScores.Errors(g, beats).data<float>().ToArray();

        Assert.Equal(20, scores.Length);
        Assert.All(scores, s => Assert.InRange(s, 0.0, 1.0));
        Assert.Equal(0.0, scores.Min());
        Assert.Equal(1.0, scores.Max(), 6);
        Assert.Equal(Array.IndexOf(errors, errors.Min()), Array.IndexOf(scores, scores.Min()));
        Assert.Equal(Array.IndexOf(errors, errors.Max()), Array.IndexOf(scores, scores.Max()));
    }

    [Fact]
    public void ScoringUsesEvaluationModeSoTheBatchSizeDoesNotMatterAndRestoresTheMode()
    {
        using var scope = NewDisposeScope();
        var g = new BeatGanGenerator(Small);
        g.train();
        var beats = SyntheticBeats.Normal(9, 13);

        var small = ReconstructionScores.Errors(g, beats, batchSize: 2);
        var large = ReconstructionScores.Errors(g, beats, batchSize: 9);

        Assert.True(small.allclose(large, rtol: 1e-5, atol: 1e-7));
        Assert.True(g.training);
        g.eval();
        ReconstructionScores.Errors(g, beats);
        Assert.False(g.training);
    }

    [Fact]
    public void TrainingModeBatchesScoreAsPyTorchsTrainModeAndUpdateTheRunningStatistics()
    {
        // One batch holding every beat: each beat's error comes from PyTorch's train-mode reconstruction of that batch.
        using var scope = NewDisposeScope();
        var g = Models.BeatGan.BeatGanReference.Generator();
        g.eval();
        var x = Models.BeatGan.BeatGanReference.Beats(Models.BeatGan.BeatGanReference.Root.GetProperty("input"));
        var train = Models.BeatGan.BeatGanReference.Root.GetProperty("train_mode");
        var reconstruction = Reference.ReferenceData.Tensor(train.GetProperty("reconstruction"), x.shape);
        var expected = (x - reconstruction).square().flatten(1).mean([1L]);

        var errors = ReconstructionScores.ErrorsInTrainingBatches(g, x, batchSize: (int)x.shape[0], new Random(3));

        Reference.Tolerance.AssertClose(Models.BeatGan.BeatGanReference.Values(expected), Models.BeatGan.BeatGanReference.Values(errors),
                                        1e-4, 1e-6, "train-mode error");
        var running = train.GetProperty("encoder_main_3_running");
        Reference.Tolerance.AssertClose(Reference.ReferenceData.Doubles(running.GetProperty("mean")),
                                        Models.BeatGan.BeatGanReference.Values(g.state_dict()["encoder1.main.3.running_mean"]), 1e-5, 1e-7, "running mean");
        Assert.False(g.training); // the mode it was in
    }

    [Fact]
    public void TrainingModeErrorsComeBackInTheBeatsOrderAndDependOnTheirBatch()
    {
        using var scope = NewDisposeScope();
        var beats = cat([SyntheticBeats.Normal(6, 21), SyntheticBeats.Abnormal(6, 22)], 0);
        Tensor Errors(int batchSize, int orderSeed)
        {
            Distill.Runtime.Reproducibility.Seed(9);
            return ReconstructionScores.ErrorsInTrainingBatches(new BeatGanGenerator(Small), beats, batchSize, new Random(orderSeed));
        }

        var whole = Errors(12, 1);
        Assert.True(whole.allclose(Errors(12, 2), rtol: 1e-5, atol: 1e-7)); // another shuffle of one batch: the same errors, in the beats' order
        Assert.False(whole.allclose(Errors(4, 1), rtol: 1e-3, atol: 1e-5)); // batches of 4: each beat normalised with other beats
        Assert.False(Errors(4, 1).allclose(Errors(4, 2), rtol: 1e-3, atol: 1e-5)); // and which 4 depends on the shuffle
    }

    [Fact]
    public void UndefinedScoresAreRejected()
    {
        using var scope = NewDisposeScope();
        var beats = SyntheticBeats.Normal(4, 14);
        var withNaN = beats.clone();
        withNaN[0, 0, 0] = tensor(float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => ReconstructionScores.Errors(new ZeroReconstructor(), withNaN)).Message);
        Assert.Contains("All errors are equal", Assert.Throws<ArgumentException>(() => ReconstructionScores.MinMaxNormalise(ones(4))).Message);
        Assert.Contains("[N, leads, samples]", Assert.Throws<ArgumentException>(() => ReconstructionScores.Errors(new ZeroReconstructor(), beats[0])).Message);
        var flat = nn.Flatten(); // returns [B, 320] for [B, 1, 320]: not a reconstruction
        Assert.Contains("reproduce its input's shape", Assert.Throws<ArgumentException>(() => ReconstructionScores.Errors(flat, beats)).Message);
    }
}
