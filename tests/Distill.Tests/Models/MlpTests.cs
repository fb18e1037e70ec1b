using Distill.Models;
using Distill.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Models;

public class MlpTests
{
    [Fact]
    public void FeatureShapesForTheSeedTeacher()
    {
        Reproducibility.Seed(0);
        using var model = new Mlp([30, 256, 1024, 256]);
        var output = model.ForwardFeatures(randn(8, 30));
        Assert.Equal([8L, 1L], output.Output.shape);
        Assert.Equal([[8L, 256L], [8L, 1024L], [8L, 256L]], output.Features.Select(f => f.shape).ToArray());
        Assert.Equal(output.Features.Select(f => f.shape), output.PreActivations.Select(f => f.shape));
    }

    [Fact]
    public void OutputAndFeaturesComeFromOneForwardPass()
    {
        Reproducibility.Seed(0);
        using var model = new Mlp([30, 256, 1024, 256]);
        model.eval();
        var calls = new Dictionary<string, int>();
        foreach (var (name, module) in model.named_modules())
            if (module is TorchSharp.Modules.Linear linear)
                linear.register_forward_hook((m, input, output) => { calls[name] = calls.GetValueOrDefault(name) + 1; return output; });

        var result = model.ForwardFeatures(randn(4, 30));

        // Every linear layer (three blocks and the classifier) ran exactly once.
        Assert.Equal(4, calls.Count);
        Assert.All(calls.Values, count => Assert.Equal(1, count));
        // The features are the very tensors the next layers consumed: LeakyReLU(pre) and classifier(last feature).
        for (int i = 0; i < 3; i++)
            Assert.True(result.Features[i].equal(nn.functional.leaky_relu(result.PreActivations[i], 0.2)).all().item<bool>());
        Assert.Equal(1, calls["classifier"]);
    }

    [Fact]
    public void WrongInputWidthNamesTheExpectedShape()
    {
        using var model = new Mlp([10, 16]);
        var error = Assert.Throws<ArgumentException>(() => model.ForwardFeatures(randn(4, 30)));
        Assert.Contains("expects input [batch, 10]", error.Message);
        Assert.Contains("[4, 30]", error.Message);
    }

    [Fact]
    public void InitialisationIsXavierNormalWithZeroBias()
    {
        Reproducibility.Seed(1);
        using var model = new Mlp([256, 1024, 8]);
        var weight = model.Blocks[0].named_parameters().Single(p => p.name == "linear.weight").parameter;
        double expectedStd = Math.Sqrt(2.0 / (256 + 1024));
        Assert.InRange(weight.std().item<float>(), expectedStd * 0.97, expectedStd * 1.03);
        Assert.Equal(0f, model.Blocks[0].named_parameters().Single(p => p.name == "linear.bias").parameter.abs().sum().item<float>());
    }
}
