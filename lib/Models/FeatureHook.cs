using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Models;

/// <summary>A forward hook on one submodule that keeps its output while a <see cref="HookedFeatureModel"/> runs a forward pass.</summary>
/// <remarks>The hook only looks while armed, so calls of the network outside <see cref="HookedFeatureModel.ForwardFeatures"/>
/// keep no reference to their tensors. The captured tensor is an alias of the module's output (the same storage and autograd
/// node, no copy), so it carries the gradient; a handle of its own is needed because TorchSharp's <c>Sequential</c> disposes
/// each intermediate output as soon as the next layer has read it. The alias is made in the caller's dispose scope and ends
/// with it.</remarks>
internal sealed class FeatureHook
{
    private readonly Action remove;
    private Tensor? captured;
    private bool armed;

    private FeatureHook(string path, nn.Module<Tensor, Tensor> module)
    {
        Path = path;
        remove = module.register_forward_hook(Capture).remove;
    }

    /// <summary>The module's path in the wrapped network.</summary>
    public string Path { get; }

    /// <summary>How often the module ran since the hook was armed.</summary>
    public int Calls { get; private set; }

    /// <summary>Hooks the submodule at <paramref name="path"/> of <paramref name="model"/>, or explains why it cannot.</summary>
    public static FeatureHook On(nn.Module model, IReadOnlyDictionary<string, nn.Module> modules, string path)
    {
        if (path is null || !modules.TryGetValue(path, out var module))
            throw new ArgumentException(
                $"{model.GetName()} has no submodule '{path}'. Its module paths, as named_modules() names them, are: " +
                $"{string.Join(", ", modules.Keys)}.", nameof(path));
        if (module is not nn.Module<Tensor, Tensor> tensorModule)
        {
            var children = module.named_children().Select(child => $"{path}.{child.name}").ToArray();
            throw new ArgumentException(
                $"Module '{path}' of {model.GetName()} is a {module.GetType().Name}, which {ResultOf(module.GetType())}; a feature " +
                "must be one tensor. " + (children.Length > 0
                    ? $"Hook one of its submodules that returns a tensor: {string.Join(", ", children)}."
                    : "Hook a module that returns a tensor."), nameof(path));
        }
        return new FeatureHook(path, tensorModule);
    }

    /// <summary>Starts looking at the module's outputs, forgetting any earlier one.</summary>
    public void Arm()
    {
        captured = null;
        Calls = 0;
        armed = true;
    }

    /// <summary>Stops looking at the module's outputs.</summary>
    public void Disarm() => armed = false;

    /// <summary>The output captured since <see cref="Arm"/> (null when the module did not run); the hook keeps no reference to it.</summary>
    public Tensor? Release()
    {
        var output = captured;
        captured = null;
        return output;
    }

    /// <summary>Unregisters the hook from the module.</summary>
    public void Remove() => remove();

    private Tensor Capture(nn.Module<Tensor, Tensor> module, Tensor input, Tensor output)
    {
        if (armed)
        {
            captured = output.alias();
            Calls++;
        }
        return output;
    }

    private static string ResultOf(Type type)
    {
        for (var t = type; t is not null; t = t.BaseType)
            if (t.IsGenericType && t.DeclaringType == typeof(nn) && t.Name.StartsWith("Module`", StringComparison.Ordinal))
                return $"returns {Readable(t.GetGenericArguments()[^1])} from forward";
        return "has no forward of its own (a container)";
    }

    private static string Readable(Type type)
    {
        if (!type.IsGenericType) return type.Name;
        var arguments = type.GetGenericArguments().Select(Readable);
        return type.FullName?.StartsWith("System.ValueTuple", StringComparison.Ordinal) == true
            ? $"({string.Join(", ", arguments)})"
            : $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", arguments)}>";
    }
}
