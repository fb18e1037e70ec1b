using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Interop;

/// <summary>Loads a module's weights from a PyTorch state_dict file and saves them so PyTorch's <c>load_state_dict</c> accepts them.</summary>
public static class PyTorchInterop
{
    /// <summary>Copies every tensor of a PyTorch state_dict file into <paramref name="module"/> (parameters and buffers).</summary>
    /// <param name="module">The model, built with the same architecture as the PyTorch model that saved the file.</param>
    /// <param name="path">A file written by <c>torch.save(model.state_dict(), path)</c>.</param>
    /// <param name="layout">How the module's keys are named in the file (see <see cref="PyTorchLayouts"/>).</param>
    /// <exception cref="StateDictMismatchException">Keys are missing or unexpected, or shapes or element types differ;
    /// the module is left unchanged.</exception>
    public static void LoadPyTorch(this nn.Module module, string path, StateDictLayout layout)
    {
        var state = module.state_dict();
        CheckLayoutCovers(state, layout);
        var file = PyTorchStateDict.Read(path);
        try
        {
            var missing = new List<string>();
            var mismatched = new List<string>();
            foreach (var (ours, target) in state)
            {
                string key = layout.ToPyTorch(ours);
                if (!file.TryGetValue(key, out var loaded)) missing.Add(key);
                else if (!loaded.shape.SequenceEqual(target.shape) || loaded.dtype != target.dtype)
                    mismatched.Add($"{key}: file {Describe(loaded)}, model {Describe(target)}");
            }
            var unexpected = file.Keys.Where(key => layout.FromPyTorch(key) is null).ToList();
            if (missing.Count + unexpected.Count + mismatched.Count > 0)
                throw new StateDictMismatchException(path, layout.Name, missing, unexpected, mismatched,
                                                     file.Count > 0 && missing.Count == state.Count && unexpected.Count == file.Count
                                                         ? AnotherNetwork(file.Keys, missing) : null);
            using var noGrad = no_grad();
            foreach (var (ours, target) in state) target.copy_(file[layout.ToPyTorch(ours)]);
        }
        finally
        {
            foreach (var tensor in file.Values) tensor.Dispose();
        }
    }

    /// <summary>Saves <paramref name="module"/>'s parameters and buffers under the PyTorch keys of <paramref name="layout"/>.</summary>
    /// <param name="module">The model.</param>
    /// <param name="path">Output file; PyTorch reads it with <c>model.load_state_dict(torch.load(path))</c>.</param>
    /// <param name="layout">The PyTorch names of the module's keys.</param>
    public static void SavePyTorch(this nn.Module module, string path, StateDictLayout layout)
    {
        var state = module.state_dict();
        CheckLayoutCovers(state, layout);
        PyTorchStateDict.Write(path, state.Select(kv => KeyValuePair.Create(layout.ToPyTorch(kv.Key), kv.Value)));
    }

    private static void CheckLayoutCovers(IDictionary<string, Tensor> state, StateDictLayout layout)
    {
        var notMapped = state.Keys.Where(key => !layout.OurKeys.Contains(key)).ToList();
        var stale = layout.OurKeys.Where(key => !state.ContainsKey(key)).ToList();
        if (notMapped.Count + stale.Count > 0)
            throw new ArgumentException(
                $"Layout '{layout.Name}' was built for another model: the model's keys [{string.Join(", ", notMapped)}] have no PyTorch name " +
                $"and the layout's keys [{string.Join(", ", stale)}] are not in the model. Build the layout from this model.", nameof(layout));
    }

    // No key in common: the file was saved from another network (a BeatGAN generator passed for its discriminator).
    private static string AnotherNetwork(IEnumerable<string> fileKeys, IEnumerable<string> modelKeys)
        => "the file shares no key with the model: it was saved from another network (the file's top-level modules are " +
           $"{TopLevel(fileKeys)}, the model's are {TopLevel(modelKeys)}). Check which file you passed.";

    // Sorted: the unpickled file is a hash table, so its key order is not the order PyTorch saved.
    private static string TopLevel(IEnumerable<string> keys) => string.Join(", ", keys.Select(key => key.Split('.')[0]).Distinct().Order(StringComparer.Ordinal));

    private static string Describe(Tensor tensor) => $"[{string.Join(", ", tensor.shape)}] {tensor.dtype}";
}
