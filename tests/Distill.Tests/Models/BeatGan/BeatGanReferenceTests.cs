using System.Text.Json;
using Distill.Tests.Reference;
using static TorchSharp.torch;

namespace Distill.Tests.Models.BeatGan;

/// <summary>The C# networks against PyTorch 1.13 running the same weights (tools/reference/beatgan.py).</summary>
/// <remarks>
/// Weights and inputs are bit-identical float32 (the script rounds them to 4 decimals before use), so the
/// common tolerance rel 1e-5 holds, at the scale of each tensor (<see cref="Tolerance.AssertCloseAtScale"/>), despite
/// LibTorch 2.10 and PyTorch 1.13 using different convolution kernels.
/// </remarks>
public class BeatGanReferenceTests
{
    private const double Rel = 1e-5;

    private static JsonElement Eval => BeatGanReference.Root.GetProperty("eval");

    [Fact]
    public void GeneratorMatchesPyTorchInEvalMode()
    {
        using var scope = NewDisposeScope();
        var g = BeatGanReference.Generator();
        g.eval();
        var x = BeatGanReference.Beats(BeatGanReference.Root.GetProperty("input"));
        using var _ = no_grad();
        var pass = g.Reconstruct(x);

        Tolerance.AssertCloseAtScale(ReferenceData.Doubles(Eval.GetProperty("reconstruction")), BeatGanReference.Values(pass.Reconstruction), Rel, "reconstruction");
        Tolerance.AssertCloseAtScale(ReferenceData.Doubles(Eval.GetProperty("latent")), BeatGanReference.Values(pass.Latent), Rel, "latent");
        var expected = Eval.GetProperty("generator_pre_activations_beat1").EnumerateArray().ToList();
        Assert.Equal(expected.Count, pass.Pass.PreActivations.Count);
        for (int i = 0; i < expected.Count; i++)
            Tolerance.AssertCloseAtScale(ReferenceData.Doubles(expected[i]), BeatGanReference.Values(pass.Pass.PreActivations[i][1]), Rel, $"generator pre-activation {i}");
    }

    [Fact]
    public void DiscriminatorMatchesPyTorchInEvalMode()
    {
        using var scope = NewDisposeScope();
        var d = BeatGanReference.Discriminator();
        d.eval();
        var x = BeatGanReference.Beats(BeatGanReference.Root.GetProperty("input"));
        using var _ = no_grad();
        var pass = d.ForwardFeatures(x);

        Tolerance.AssertCloseAtScale(ReferenceData.Doubles(Eval.GetProperty("discriminator_logits")), BeatGanReference.Values(pass.Output), Rel, "logits");
        var expected = Eval.GetProperty("discriminator_pre_activations_beat1").EnumerateArray().ToList();
        Assert.Equal(expected.Count, pass.PreActivations.Count);
        for (int i = 0; i < expected.Count; i++)
            Tolerance.AssertCloseAtScale(ReferenceData.Doubles(expected[i]), BeatGanReference.Values(pass.PreActivations[i][1]), Rel, $"discriminator pre-activation {i}");
    }

    [Fact]
    public void GeneratorInTrainingModeUsesBatchStatisticsAndUpdatesRunningOnesLikePyTorch()
    {
        using var scope = NewDisposeScope();
        var g = BeatGanReference.Generator();
        g.train();
        var x = BeatGanReference.Beats(BeatGanReference.Root.GetProperty("input"));
        using var _ = no_grad();
        var reconstruction = g.forward(x);

        var train = BeatGanReference.Root.GetProperty("train_mode");
        Tolerance.AssertCloseAtScale(ReferenceData.Doubles(train.GetProperty("reconstruction")), BeatGanReference.Values(reconstruction), Rel, "train-mode reconstruction");
        var state = g.state_dict();
        var running = train.GetProperty("encoder_main_3_running");
        Tolerance.AssertCloseAtScale(ReferenceData.Doubles(running.GetProperty("mean")), BeatGanReference.Values(state["encoder1.main.3.running_mean"]), Rel, "running mean");
        Tolerance.AssertCloseAtScale(ReferenceData.Doubles(running.GetProperty("var")), BeatGanReference.Values(state["encoder1.main.3.running_var"]), Rel, "running var");
    }
}
