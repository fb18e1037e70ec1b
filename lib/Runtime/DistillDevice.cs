using TorchSharp;

namespace Distill.Runtime;

/// <summary>The one place that chooses where the library's models, buffers and tensors live.</summary>
/// <remarks>
/// CUDA is used when TorchSharp sees a GPU (which needs the CUDA TorchSharp package; see environment.md),
/// otherwise the CPU. The environment variable <c>DISTILL_DEVICE</c> (<c>cpu</c> or <c>cuda</c>) overrides
/// the choice; asking for CUDA where none is available is an error rather than a silent CPU fallback.
/// </remarks>
public static class DistillDevice
{
    /// <summary>Name of the environment variable that overrides the device choice.</summary>
    public const string EnvironmentVariable = "DISTILL_DEVICE";

    private static readonly Lazy<torch.Device> Chosen = new(() => Resolve(Environment.GetEnvironmentVariable(EnvironmentVariable)));

    /// <summary>The application's default device: what the CLI, bench, notebooks and tests pass to the library's models, losses and data loaders.</summary>
    /// <remarks>The library does not read it: models, losses and data loaders take a <c>device</c> argument (null is the CPU, as
    /// in TorchSharp), trainers and terms the device of their networks or inputs (<see cref="Of"/>).</remarks>
    public static torch.Device Current => Chosen.Value;

    /// <summary>The device a module's parameters (or, without parameters, its buffers) live on; the CPU for a module with neither.</summary>
    /// <remarks>How library code takes the device from its inputs (a loss's regressor built for a student, the batches fed to a
    /// network) instead of from <see cref="Current"/>, which only the application reads.</remarks>
    public static torch.Device Of(torch.nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        foreach (var parameter in module.parameters()) return parameter.device;
        foreach (var buffer in module.buffers()) return buffer.device;
        return torch.CPU;
    }

    /// <summary>Resolves a device from an override value (<c>cpu</c>, <c>cuda</c>, or null/empty for automatic).</summary>
    public static torch.Device Resolve(string? requested)
    {
        switch (requested?.Trim().ToLowerInvariant())
        {
            case null or "":
                return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
            case "cpu":
                return torch.CPU;
            case "cuda":
                if (!torch.cuda.is_available())
                    throw new InvalidOperationException(
                        $"{EnvironmentVariable}=cuda but TorchSharp sees no CUDA device. Reference the CUDA TorchSharp package " +
                        "instead of TorchSharp-cpu (environment.md, 'CUDA'), or unset the variable to use the CPU.");
                return torch.CUDA;
            default:
                throw new ArgumentException(
                    $"{EnvironmentVariable}='{requested}' is not a device Distill knows. Use 'cpu', 'cuda', or leave it unset for automatic choice.",
                    nameof(requested));
        }
    }
}
