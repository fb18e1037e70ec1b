using TorchSharp;
using Distill.Models.BeatGan;
using static TorchSharp.torch;

namespace Distill.Training.BeatGan;

/// <summary>An in-memory copy of a generator's and a discriminator's state_dict (parameters and batch-norm statistics).</summary>
/// <remarks>The copies belong to no dispose scope; dispose the checkpoint to free them.</remarks>
public sealed class BeatGanCheckpoint : IDisposable
{
    private readonly Dictionary<string, Tensor> generator;
    private readonly Dictionary<string, Tensor> discriminator;

    private BeatGanCheckpoint(Dictionary<string, Tensor> generator, Dictionary<string, Tensor> discriminator)
    {
        this.generator = generator;
        this.discriminator = discriminator;
    }

    /// <summary>The generator's saved tensors by state_dict name.</summary>
    public IReadOnlyDictionary<string, Tensor> Generator => generator;

    /// <summary>The discriminator's saved tensors by state_dict name.</summary>
    public IReadOnlyDictionary<string, Tensor> Discriminator => discriminator;

    /// <summary>Copies the current weights of both networks.</summary>
    public static BeatGanCheckpoint Capture(BeatGanGenerator g, BeatGanDiscriminator d) => new(Copy(g), Copy(d));

    /// <summary>Copies saved state_dicts (a trainer's best-epoch snapshots).</summary>
    internal static BeatGanCheckpoint Copy(IReadOnlyDictionary<string, Tensor> generator, IReadOnlyDictionary<string, Tensor> discriminator)
        => new(Clone(generator), Clone(discriminator));

    /// <summary>Loads the saved weights back into the given networks (which must have the same sizes).</summary>
    public void Restore(BeatGanGenerator g, BeatGanDiscriminator d)
    {
        Load(g, generator);
        Load(d, discriminator);
    }

    /// <summary>Frees the copied tensors.</summary>
    public void Dispose()
    {
        foreach (var t in generator.Values.Concat(discriminator.Values)) t.Dispose();
        generator.Clear();
        discriminator.Clear();
    }

    private static Dictionary<string, Tensor> Copy(nn.Module module) => Clone(module.state_dict());

    private static Dictionary<string, Tensor> Clone(IEnumerable<KeyValuePair<string, Tensor>> state)
    {
        using var _ = no_grad();
        return state.ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope());
    }

    private static void Load(nn.Module module, Dictionary<string, Tensor> saved)
    {
        using var _ = no_grad();
        foreach (var (name, tensor) in module.state_dict())
        {
            if (!saved.TryGetValue(name, out var value) || !value.shape.SequenceEqual(tensor.shape))
                throw new InvalidOperationException(
                    $"The checkpoint has no tensor '{name}' shaped [{string.Join(", ", tensor.shape)}]: it was captured from networks of other sizes.");
            tensor.copy_(value);
        }
    }
}
