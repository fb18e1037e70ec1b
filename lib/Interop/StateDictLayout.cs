namespace Distill.Interop;

/// <summary>A one-to-one mapping between a TorchSharp module's state_dict keys and the keys a PyTorch model uses for
/// the same tensors.</summary>
/// <remarks>
/// Our modules name their fields for readability (<c>blocks.0.norm.weight</c>); PyTorch reference code often nests
/// the same layers in <c>nn.Sequential</c> containers whose keys are positions (<c>Layer_List.0.linear.1.weight</c>).
/// A layout renames keys at the file boundary instead of renaming our fields, so one model can read several
/// PyTorch layouts. Build layouts with <see cref="PyTorchLayouts"/>.
/// </remarks>
public sealed class StateDictLayout
{
    private readonly Dictionary<string, string> toPyTorch;
    private readonly Dictionary<string, string> fromPyTorch;

    /// <summary>Creates a layout from pairs (our key, PyTorch key); both sides must be unique.</summary>
    /// <param name="name">Name shown in error messages (for example "CRD walkthrough ANN").</param>
    /// <param name="pairs">Our state_dict key and the PyTorch key of the same tensor.</param>
    public StateDictLayout(string name, IEnumerable<(string Ours, string PyTorch)> pairs)
    {
        Name = name;
        toPyTorch = new Dictionary<string, string>(StringComparer.Ordinal);
        fromPyTorch = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (ours, pyTorch) in pairs)
        {
            if (!toPyTorch.TryAdd(ours, pyTorch))
                throw new ArgumentException($"Layout '{name}' maps our key '{ours}' twice.", nameof(pairs));
            if (!fromPyTorch.TryAdd(pyTorch, ours))
                throw new ArgumentException($"Layout '{name}' maps two of our keys to the PyTorch key '{pyTorch}'.", nameof(pairs));
        }
    }

    /// <summary>Name of the layout, for messages.</summary>
    public string Name { get; }

    /// <summary>Our keys in mapping order.</summary>
    public IReadOnlyCollection<string> OurKeys => toPyTorch.Keys;

    /// <summary>The PyTorch key of one of our keys.</summary>
    public string ToPyTorch(string ours) => toPyTorch.TryGetValue(ours, out var key) ? key
        : throw new KeyNotFoundException($"Layout '{Name}' has no PyTorch name for our key '{ours}'.");

    /// <summary>Our key for a PyTorch key, or null when the layout does not know it.</summary>
    public string? FromPyTorch(string pyTorch) => fromPyTorch.GetValueOrDefault(pyTorch);
}
