using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Models;

/// <summary>
/// Any TorchSharp module as an <see cref="IFeatureModel"/>: its features are the outputs of named submodules, captured by
/// forward hooks in the one forward pass that computes the output.
/// </summary>
/// <remarks>
/// The approach of torchdistill (Matsubara, "torchdistill: A Modular, Configuration-Driven Framework for Knowledge
/// Distillation", RRPR workshop at ICPR 2021, its <c>ForwardHookManager</c>): the user names module paths, as
/// <c>named_modules()</c> spells them (<c>"layers.1"</c>, <c>"encoder.conv2"</c>), a forward hook on each keeps that module's
/// output, and the distillation losses read them like the library's own models' features. Nothing is recomputed.
/// <para>TorchSharp runs hooks only when a module is invoked with <c>call(x)</c> (as <c>nn.Sequential</c> does), not when a
/// <c>forward</c> method calls <c>layer.forward(x)</c> directly; a hooked module that did not run says so.</para>
/// <para>The wrapped module is registered as this module's child <c>model</c>: its parameters, training mode and device move
/// with this wrapper, so a <c>Distiller</c> freezes a hooked teacher like any other. It stays the caller's: disposing the
/// wrapper removes the hooks and leaves the module alive, as torchdistill's hook manager leaves the model. The wrapper's
/// <c>state_dict</c> names carry the child's prefix (<c>model.layers.0.weight</c>); save <see cref="Model"/> itself to keep
/// your own names.</para>
/// </remarks>
public sealed class HookedFeatureModel : nn.Module<Tensor, Tensor>, IFeatureModel
{
    private readonly nn.Module<Tensor, Tensor> model;
    private readonly FeatureHook[] featureHooks;
    private readonly FeatureHook[] preActivationHooks;

    /// <summary>Hooks the submodules at <paramref name="featurePaths"/> (and <paramref name="preActivationPaths"/>) of <paramref name="model"/>.</summary>
    /// <param name="model">The network, unchanged; its output is <see cref="FeatureOutput.Output"/>.</param>
    /// <param name="featurePaths">Paths of the submodules whose outputs are <see cref="FeatureOutput.Features"/>, in depth order.</param>
    /// <param name="preActivationPaths">Paths whose outputs are <see cref="FeatureOutput.PreActivations"/> (the pre-ReLU responses
    /// that OFD and AB distil, e.g. a BatchNorm before its activation); none when null.</param>
    /// <param name="name">Module name.</param>
    /// <exception cref="ArgumentException">A path is unknown (the message lists the model's paths) or names a module whose output
    /// is not one tensor.</exception>
    public HookedFeatureModel(nn.Module<Tensor, Tensor> model, IReadOnlyList<string> featurePaths,
                              IReadOnlyList<string>? preActivationPaths = null, string name = "hooked") : base(name)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(featurePaths);
        if (featurePaths.Count == 0)
            throw new ArgumentException("Give at least one module path whose output is a feature, e.g. [\"layers.1\"].", nameof(featurePaths));
        var modules = model.named_modules().ToDictionary(entry => entry.name, entry => entry.module, StringComparer.Ordinal);
        this.model = model;
        featureHooks = featurePaths.Select(path => FeatureHook.On(model, modules, path)).ToArray();
        preActivationHooks = (preActivationPaths ?? []).Select(path => FeatureHook.On(model, modules, path)).ToArray();
        RegisterComponents();
    }

    /// <summary>The wrapped network.</summary>
    public nn.Module<Tensor, Tensor> Model => model;

    /// <summary>The paths whose outputs are the features, in the order of <see cref="FeatureOutput.Features"/>.</summary>
    public IReadOnlyList<string> FeaturePaths => featureHooks.Select(hook => hook.Path).ToArray();

    /// <summary>The paths whose outputs are the pre-activations, in the order of <see cref="FeatureOutput.PreActivations"/>.</summary>
    public IReadOnlyList<string> PreActivationPaths => preActivationHooks.Select(hook => hook.Path).ToArray();

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A hooked module did not run, or ran more than once, in this forward pass.</exception>
    public FeatureOutput ForwardFeatures(Tensor input)
    {
        var hooks = featureHooks.Concat(preActivationHooks).ToArray();
        foreach (var hook in hooks) hook.Arm();
        Tensor output;
        try
        {
            output = model.call(input);
        }
        finally
        {
            foreach (var hook in hooks) hook.Disarm();
        }
        return new FeatureOutput(output, Take(featureHooks), Take(preActivationHooks));
    }

    /// <summary>The wrapped network's output; the hooks keep nothing outside <see cref="ForwardFeatures"/>.</summary>
    public override Tensor forward(Tensor input) => model.call(input);

    /// <summary>Removes the hooks; the wrapped module is not disposed (it stays the caller's).</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var hook in featureHooks.Concat(preActivationHooks)) hook.Remove();
            ClearModules(); // the base class disposes every child; the wrapped network is not ours to dispose
        }
        base.Dispose(disposing);
    }

    private Tensor[] Take(FeatureHook[] hooks)
    {
        var captured = hooks.Select(hook => (hook.Path, hook.Calls, Feature: hook.Release())).ToArray();
        var problems = captured.Where(c => c.Calls != 1).ToArray();
        if (problems.Length > 0)
            throw new InvalidOperationException(string.Join(" ", problems.Select(c => c.Calls == 0
                ? $"Module '{c.Path}' of {model.GetName()} did not run in the forward pass, so it has no feature. TorchSharp runs forward " +
                  $"hooks only from call(): if forward invokes it as {c.Path}.forward(x), write {c.Path}.call(x); otherwise hook a module " +
                  "on the path this input takes."
                : $"Module '{c.Path}' of {model.GetName()} ran {c.Calls} times in one forward pass, so its feature is ambiguous; hook a " +
                  "module that runs once (for a shared layer, the module that consumes its last output).")));
        return captured.Select(c => c.Feature!).ToArray();
    }
}
