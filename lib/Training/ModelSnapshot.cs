using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Training;

/// <summary>An in-memory copy of a module's parameters and buffers, to restore the best epoch's weights.</summary>
public sealed class ModelSnapshot(nn.Module module) : IDisposable
{
    private Dictionary<string, Tensor>? state;

    /// <summary>Copies the module's current state, replacing any earlier copy.</summary>
    public void Capture()
    {
        using var noGrad = no_grad();
        var copy = module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope());
        Dispose();
        state = copy;
    }

    /// <summary>Loads the captured state back into the module (no-op when nothing was captured).</summary>
    public void Restore()
    {
        if (state is null) return;
        module.load_state_dict(state);
    }

    /// <summary>The captured tensors by state_dict key, or null when nothing was captured (for checkpoints).</summary>
    public IReadOnlyDictionary<string, Tensor>? Captured => state;

    /// <summary>Replaces the captured copy with <paramref name="tensors"/>, which the snapshot then owns (a resumed run's best weights).</summary>
    public void Adopt(Dictionary<string, Tensor> tensors)
    {
        Dispose();
        state = tensors;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (state is null) return;
        foreach (var tensor in state.Values) tensor.Dispose();
        state = null;
    }
}
