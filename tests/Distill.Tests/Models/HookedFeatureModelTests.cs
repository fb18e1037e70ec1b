using System.Collections;
using System.Reflection;
using Distill.Models;
using Distill.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Models;

public class HookedFeatureModelTests
{
    private static UserNet NewUserNet(int seed)
    {
        Reproducibility.Seed(seed);
        var net = new UserNet(6, 5, 4, 3);
        net.to(DistillDevice.Current);
        return net;
    }

    /// <summary>Exact equality of shape and every element (TorchSharp's <c>equal</c> is element-wise).</summary>
    internal static void AssertSame(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.equal(actual).all().item<bool>(), "the tensors differ");
    }

    private static nn.Module At(nn.Module model, string path) => model.named_modules().Single(m => m.name == path).module;

    private static int PostHooks(nn.Module module)
    {
        for (var type = module.GetType(); type is not null; type = type.BaseType)
            if (type.GetField("post_hooks", BindingFlags.NonPublic | BindingFlags.Instance) is { } field)
                return ((ICollection)field.GetValue(module)!).Count;
        throw new InvalidOperationException($"{module.GetType().Name} has no post_hooks field; TorchSharp's hook storage changed.");
    }

    [Fact]
    public void FeaturesAreTheHookedModulesOutputsOfTheOneForwardPass()
    {
        using var net = NewUserNet(0);
        using var hooked = new HookedFeatureModel(net, UserNet.FeaturePaths, preActivationPaths: ["layers.1"]);
        hooked.eval();
        var calls = new Dictionary<string, int>();
        foreach (var (name, module) in net.named_modules())
            if (module is TorchSharp.Modules.Linear linear)
                linear.register_forward_hook((m, input, output) => { calls[name] = calls.GetValueOrDefault(name) + 1; return output; });
        var x = randn([8, 6]).to(DistillDevice.Current);

        var result = hooked.ForwardFeatures(x);
        Assert.Equal(["layers.0", "layers.3", "layers.5"], calls.Keys.Order());
        Assert.All(calls.Values, count => Assert.Equal(1, count));

        // The reference recomputes the network layer by layer from its own modules.
        var layer = (string path) => (nn.Module<Tensor, Tensor>)At(net, path);
        var pre = layer("layers.1").call(layer("layers.0").call(x));
        var first = nn.functional.relu(pre);
        var second = nn.functional.relu(layer("layers.3").call(first));
        AssertSame(first, result.Features[0]);
        AssertSame(second, result.Features[1]);
        AssertSame(pre, result.PreActivations[0]);
        AssertSame(layer("layers.5").call(second), result.Output);
        Assert.Equal(UserNet.FeaturePaths, hooked.FeaturePaths);
    }

    [Fact]
    public void AnUnknownPathListsTheModelsPaths()
    {
        using var net = NewUserNet(1);
        var error = Assert.Throws<ArgumentException>(() => new HookedFeatureModel(net, ["layers.2", "layers.9"]));
        Assert.Contains("UserNet has no submodule 'layers.9'", error.Message);
        Assert.Contains("layers, layers.0, layers.1, layers.2, layers.3, layers.4, layers.5.", error.Message);
    }

    [Fact]
    public void NoPathIsRefused()
    {
        using var net = NewUserNet(1);
        var error = Assert.Throws<ArgumentException>(() => new HookedFeatureModel(net, []));
        Assert.Contains("at least one module path", error.Message);
    }

    [Fact]
    public void AModuleThatDidNotRunInForwardSaysSoAndHowToFixIt()
    {
        using var net = new DirectForwardNet();
        using var hooked = new HookedFeatureModel(net, ["hidden"]);
        var error = Assert.Throws<InvalidOperationException>(() => hooked.ForwardFeatures(randn([2, 4])));
        Assert.Contains("Module 'hidden' of DirectForwardNet did not run in the forward pass", error.Message);
        Assert.Contains("write hidden.call(x)", error.Message);
    }

    [Fact]
    public void AModuleThatRanTwiceIsAmbiguous()
    {
        using var net = new SharedLayerNet();
        using var hooked = new HookedFeatureModel(net, ["shared"]);
        var error = Assert.Throws<InvalidOperationException>(() => hooked.ForwardFeatures(randn([2, 4])));
        Assert.Contains("Module 'shared' of SharedLayerNet ran 2 times in one forward pass", error.Message);
    }

    [Fact]
    public void AModuleWhoseOutputIsNotOneTensorIsRefused()
    {
        using var net = new TupleBlockNet();
        var tuple = Assert.Throws<ArgumentException>(() => new HookedFeatureModel(net, ["block"]));
        Assert.Contains("Module 'block' of TupleBlockNet is a MlpBlock, which returns (Tensor, Tensor) from forward", tuple.Message);
        Assert.Contains("block.linear, block.norm, block.activation", tuple.Message);
        var container = Assert.Throws<ArgumentException>(() => new HookedFeatureModel(net, ["heads"]));
        Assert.Contains("has no forward of its own", container.Message);
        Assert.Contains("heads.0", container.Message);
        using var inner = new HookedFeatureModel(net, ["block.activation"]); // one tensor: accepted
        Assert.Equal([2L, 3L], inner.ForwardFeatures(randn([2, 4])).Features[0].shape);
    }

    [Fact]
    public void DisposeRemovesTheHooksAndLeavesTheModelToItsOwner()
    {
        using var net = NewUserNet(2);
        var hooked = new HookedFeatureModel(net, UserNet.FeaturePaths, preActivationPaths: ["layers.1"]);
        Assert.Equal([1, 1, 1], new[] { "layers.1", "layers.2", "layers.4" }.Select(p => PostHooks(At(net, p))));

        hooked.Dispose();

        Assert.Equal([0, 0, 0], new[] { "layers.1", "layers.2", "layers.4" }.Select(p => PostHooks(At(net, p))));
        net.eval();
        Assert.Equal([3L, 3L], net.call(randn([3, 6]).to(DistillDevice.Current)).shape); // the user's network still works
    }

    [Fact]
    public void NoTensorOutlivesTheCallersDisposeScope()
    {
        using var net = NewUserNet(3);
        using var hooked = new HookedFeatureModel(net, UserNet.FeaturePaths, preActivationPaths: ["layers.1"]);
        using var x = randn([8, 6]).to(DistillDevice.Current);
        using (NewDisposeScope()) hooked.ForwardFeatures(x).Output.sum().backward(); // creates the gradients, which live on
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (int i = 0; i < 5; i++)
        {
            using (NewDisposeScope())
            {
                var result = hooked.ForwardFeatures(x);
                (result.Output.sum() + result.Features[0].sum()).backward();
            }
            using var output = hooked.call(x); // no scope here: outside ForwardFeatures the hooks must make no tensor at all
        }

        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }

    [Fact]
    public void ShapesAreProbedInEvalModeWithoutTouchingBatchNormAndTheModeIsRestored()
    {
        using var net = NewUserNet(4);
        using var hooked = new HookedFeatureModel(net, UserNet.FeaturePaths, preActivationPaths: ["layers.1"]);
        var norm = (TorchSharp.Modules.BatchNorm1d)At(net, "layers.1");
        var mean = norm.running_mean!.clone();
        hooked.train();

        var shapes = FeatureShapes.Of(hooked, randn([1, 6]).to(DistillDevice.Current)); // one row: training-mode BatchNorm would refuse it

        Assert.Equal([1L, 3L], shapes.Output);
        Assert.Equal([[1L, 5L], [1L, 4L]], shapes.Features);
        Assert.Equal([[1L, 5L]], shapes.PreActivations);
        Assert.Equal(4, shapes.Channels(-1));
        Assert.Equal(5, shapes.Channels(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => shapes.Channels(2));
        Assert.True(hooked.training && net.training && norm.training);
        AssertSame(mean, norm.running_mean!);
    }
}
