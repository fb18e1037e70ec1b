using System.Collections;
using System.Runtime.CompilerServices;
using Distill.Data;
using Razorvine.Pickle;
using Razorvine.Pickle.Objects;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Distill.Interop;

/// <summary>Unpickles the <c>data.pkl</c> of a <c>torch.save</c> zip whose entries are already read and verified, rebuilding
/// each tensor from its storage, offset, shape and strides as <c>torch._utils._rebuild_tensor_v2</c> does.</summary>
/// <remarks>
/// PyBridge's unpickler reads every storage as if the tensor were contiguous and started at its storage's first element:
/// views and transposes (which <c>torch.save</c> writes with their whole storage, an offset and strides) load with wrong
/// values or fail inside LibTorch. Here a storage entry is read whole, every index the strides reach is checked to lie
/// inside it, and the tensor is copied out of it contiguously, so tensors sharing one storage load independently.
/// Razorvine's constructor table is global: the rebuild is registered once and hands anything that is not one of this
/// unpickler's storages back to PyBridge's constructor, which checkpoints read through.
/// </remarks>
internal sealed class StateDictUnpickler : Unpickler
{
    private static readonly object Gate = new();
    private static bool registered;

    private readonly IReadOnlyDictionary<string, byte[]> entries;
    private readonly string path;

    private StateDictUnpickler(IReadOnlyDictionary<string, byte[]> entries, string path)
    {
        this.entries = entries;
        this.path = path;
    }

    /// <summary>The tensors of the state_dict in <paramref name="entries"/>, by key, contiguous and on the CPU.</summary>
    /// <exception cref="InvalidFileException">The pickle is not a state_dict of tensors, or a tensor reaches outside its storage.</exception>
    public static Hashtable Unpickle(IReadOnlyDictionary<string, byte[]> entries, string path)
    {
        Register();
        string pickle = entries.Keys.SingleOrDefault(k => k.EndsWith("/data.pkl", StringComparison.Ordinal) || k == "data.pkl")
                        ?? throw Bad(path, "it has no data.pkl entry (or more than one)");
        using var unpickler = new StateDictUnpickler(entries, path);
        return unpickler.loads(entries[pickle]) as Hashtable ?? throw Bad(path, "its data.pkl does not hold a dictionary of tensors");
    }

    protected override object persistentLoad(object pid)
    {
        // ('storage', storage type, key, location, number of elements)
        if (pid is not object[] { Length: >= 3 } id || id[0] as string != "storage" || id[1] is not ClassDictConstructor type || id[2] is not string key)
            throw Bad(path, "its data.pkl refers to something other than a tensor storage");
        var dtype = DType(type.name) ?? throw Bad(path, $"its data.pkl names the storage type '{Printable(type.name)}', which is not supported");
        var entry = entries.Keys.Where(k => k.EndsWith($"data/{key}", StringComparison.Ordinal)).ToList();
        if (entry.Count != 1) throw Bad(path, $"its data.pkl refers to storage '{Printable(key)}', which the file does not hold once");
        return new Storage(dtype, entries[entry[0]], key);
    }

    private static void Register()
    {
        lock (Gate)
        {
            if (registered) return;
            RuntimeHelpers.RunClassConstructor(typeof(PyTorchUnpickler).TypeHandle); // PyBridge's registrations first
            foreach (string name in new[] { "_rebuild_tensor", "_rebuild_tensor_v2" })
            {
                objectConstructors.TryGetValue($"torch._utils.{name}", out var fallback);
                registerConstructor("torch._utils", name, new RebuildTensor(fallback));
            }
            registered = true;
        }
    }

    private static ScalarType? DType(string storage) => storage switch
    {
        "DoubleStorage" => ScalarType.Float64,
        "FloatStorage" => ScalarType.Float32,
        "HalfStorage" => ScalarType.Float16,
        "BFloat16Storage" => ScalarType.BFloat16,
        "LongStorage" => ScalarType.Int64,
        "IntStorage" => ScalarType.Int32,
        "ShortStorage" => ScalarType.Int16,
        "CharStorage" => ScalarType.Int8,
        "ByteStorage" => ScalarType.Byte,
        "BoolStorage" => ScalarType.Bool,
        _ => null,
    };

    private static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };

    private static string Printable(string text) => new(text.Take(60).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    private static InvalidFileException Bad(string path, string problem)
        => InvalidFileException.Of(path, $"'{path}' is not a readable PyTorch state_dict: {problem}",
                                   "Save it again with torch.save(model.state_dict(), path) (PyTorch 1.6 or later)");

    /// <summary>A storage of the file: its element type and raw bytes.</summary>
    private sealed record Storage(ScalarType DType, byte[] Bytes, string Key);

    /// <summary><c>_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks, ...)</c>.</summary>
    private sealed class RebuildTensor(IObjectConstructor? fallback) : IObjectConstructor
    {
        public object construct(object[] args)
        {
            if (args.Length == 0 || args[0] is not Storage storage)
                return fallback?.construct(args) ?? throw new PickleException("no constructor for torch._utils._rebuild_tensor");
            if (args.Length < 4 || !TryLong(args[1], out long offset) || !TryLongs(args[2], out long[] shape) || !TryLongs(args[3], out long[] stride)
                || shape.Length != stride.Length)
                throw new InvalidDataException($"the tensor of storage '{storage.Key}' has a malformed offset, shape or stride");
            int size = ElementSize(storage.DType);
            if (storage.Bytes.Length % size != 0)
                throw new InvalidDataException($"storage '{storage.Key}' holds {storage.Bytes.Length} bytes, not a whole number of {storage.DType} elements");
            long elements = storage.Bytes.Length / size;
            if (offset < 0 || shape.Any(d => d < 0) || stride.Any(s => s < 0))
                throw new InvalidDataException($"the tensor of storage '{storage.Key}' has a negative offset, dimension or stride");
            long numel = 1;
            long last = offset;
            for (int i = 0; i < shape.Length; i++)
            {
                numel = checked(numel * shape[i]);
                if (shape[i] > 0) last = checked(last + (shape[i] - 1) * stride[i]);
            }
            if (numel > 0 && last >= elements)
                throw new InvalidDataException(
                    $"the tensor [{string.Join(", ", shape)}] of storage '{storage.Key}' reaches element {last}, but the storage holds {elements}");
            var result = empty(shape, storage.DType);
            if (numel == 0) return result;
            using var whole = empty(elements, storage.DType);
            using (var stream = new MemoryStream(storage.Bytes)) whole.ReadBytesFromStream(stream);
            using var view = whole.as_strided(shape, stride, offset);
            result.copy_(view);
            return result;
        }

        private static bool TryLong(object? value, out long result)
        {
            (bool ok, result) = value switch { int i => (true, (long)i), long l => (true, l), _ => (false, 0L) };
            return ok;
        }

        private static bool TryLongs(object? value, out long[] result)
        {
            result = [];
            if (value is not object[] items) return false;
            result = new long[items.Length];
            for (int i = 0; i < items.Length; i++)
                if (!TryLong(items[i], out result[i])) return false;
            return true;
        }
    }
}
