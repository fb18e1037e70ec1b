using System.Collections;
using System.IO.Compression;
using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

using Distill.Data;

namespace Distill.Training.Checkpoints;

/// <summary>The zip entries every checkpoint of this library is made of: JSON state, PyTorch-pickled tensor tables and raw
/// bytes, with the errors of a truncated or corrupt file turned into <see cref="CorruptCheckpointException"/>.</summary>
/// <remarks>Reading starts with <see cref="ReadVerified(string)"/>: every entry is decompressed once, its size checked against the
/// central directory and its CRC-32 against the stored one (.NET's <see cref="ZipArchive"/> verifies neither), before any
/// byte reaches JSON, the unpickler or LibTorch. A flipped bit anywhere in a checkpoint is therefore refused, never loaded
/// as other weights. Tensors are then checked for dtype, shape and finiteness against what they are copied into.</remarks>
internal static class CheckpointZip
{
    /// <summary>The largest entry accepted (an entry's size comes from the file and must not size an allocation unchecked).</summary>
    public const long MaxEntryBytes = 1L << 31;

    /// <summary>JSON options of the state entries; a metric can be NaN (AUC of one class).</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Whether <paramref name="error"/> is what reading a truncated or corrupt zip, JSON or pickle throws (the
    /// unpickler and LibTorch answer crafted bytes with almost any exception type; none of them is a bug of the caller).</summary>
    public static bool IsUnreadable(Exception error)
        => error is InvalidDataException or JsonException or EndOfStreamException or NotSupportedException or NotImplementedException
                 or InvalidOperationException or InvalidCastException or Razorvine.Pickle.PickleException or IndexOutOfRangeException
                 or ArgumentException or OverflowException or NullReferenceException or KeyNotFoundException or FormatException
                 or ExternalException or IOException
           && error is not CorruptCheckpointException;

    /// <summary>Every entry of the checkpoint at <paramref name="path"/>, by name, each verified against its stored size and CRC-32.</summary>
    /// <exception cref="CorruptCheckpointException">The file is not a zip, an entry is repeated, too large, shorter or longer
    /// than its header says, or fails its CRC-32.</exception>
    public static Dictionary<string, byte[]> ReadVerified(string path)
        => ReadVerified(path, (problem, inner) => new CorruptCheckpointException(path, problem, inner));

    /// <summary>Every entry of the zip at <paramref name="path"/>, by name, each verified against its stored size and CRC-32;
    /// <paramref name="refuse"/> makes the exception for a problem ("its entry 'x' fails its CRC-32 ...") and its cause.</summary>
    public static Dictionary<string, byte[]> ReadVerified(string path, Func<string, Exception?, Exception> refuse)
    {
        ArgumentNullException.ThrowIfNull(refuse);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                string name = Printable(entry.FullName);
                if (entry.Length > MaxEntryBytes || entry.Length < 0) throw refuse($"its entry '{name}' declares {entry.Length} bytes.", null);
                var bytes = new byte[entry.Length];
                using (var stream = entry.Open())
                {
                    int read = stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
                    if (read != bytes.Length || stream.ReadByte() != -1)
                        throw refuse($"its entry '{name}' does not hold the {entry.Length} bytes its header declares: the file is truncated or corrupt.", null);
                }
                uint crc = Crc32.HashToUInt32(bytes);
                if (crc != entry.Crc32)
                    throw refuse($"its entry '{name}' fails its CRC-32 (stored {entry.Crc32:x8}, computed {crc:x8}): the file is corrupt.", null);
                if (!entries.TryAdd(entry.FullName, bytes)) throw refuse($"it holds the entry '{name}' twice.", null);
            }
            return entries;
        }
        catch (Exception error) when (error is InvalidDataException or IOException or NotSupportedException && !IsRefusal(error))
        {
            // The central directory and the compressed streams come from the file: any of their errors means damage.
            throw refuse($"the file is truncated or corrupt (not a readable zip: {error.Message}).", error);
        }

        static bool IsRefusal(Exception error) => error is CorruptCheckpointException or InvalidFileException;
    }

    /// <summary>An entry name as it may appear in a message: control characters of a damaged file shown as <c>?</c>.</summary>
    public static string Printable(string name) => new(name.Take(80).Select(c => char.IsControl(c) ? '?' : c).ToArray());

    /// <summary>The error for a file that cannot be read.</summary>
    public static CorruptCheckpointException Unreadable(string path, Exception error)
        => new(path, $"the file is truncated or corrupt ({error.GetType().Name}: {error.Message}).", error);

    /// <summary>Adds an entry written by <paramref name="write"/>.</summary>
    public static void WriteEntry(ZipArchive zip, string name, Action<Stream> write)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        write(entry);
    }

    /// <summary>Adds an entry holding <paramref name="tensors"/> as a PyTorch state_dict pickle (CPU copies).</summary>
    public static void WriteTensors(ZipArchive zip, string name, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        using var scope = NewDisposeScope();
        var table = new Hashtable();
        foreach (var (key, tensor) in tensors) table[key] = tensor.detach().cpu().contiguous();
        // The pickler writes a zip of its own; it gets a seekable buffer rather than the entry stream.
        using var buffer = new MemoryStream();
        PyTorchPickler.PickleStateDict(buffer, table, leaveOpen: true);
        WriteEntry(zip, name, entry => entry.Write(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    /// <summary>The bytes of an entry; a missing entry is a <see cref="CorruptCheckpointException"/>.</summary>
    public static byte[] ReadEntry(IReadOnlyDictionary<string, byte[]> entries, string path, string name)
        => entries.TryGetValue(name, out var bytes) ? bytes : throw new CorruptCheckpointException(path, $"it has no '{name}' entry.");

    /// <summary>The tensors of an entry written by <see cref="WriteTensors"/>, by name; every floating-point tensor must be finite.</summary>
    public static Dictionary<string, Tensor> ReadTensors(IReadOnlyDictionary<string, byte[]> entries, string path, string name)
    {
        using var buffer = new MemoryStream(ReadEntry(entries, path, name));
        var table = PyTorchUnpickler.UnpickleStateDict(buffer);
        var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string key || entry.Value is not Tensor tensor)
                throw new CorruptCheckpointException(path, $"its entry '{name}' holds something other than named tensors.");
            tensors[key] = tensor;
        }
        foreach (var (key, tensor) in tensors)
            if (tensor.is_floating_point() && !tensor.isfinite().all().item<bool>())
                throw new CorruptCheckpointException(path, $"'{Printable(key)}' in its entry '{name}' holds NaN or infinite values.");
        return tensors;
    }

    /// <summary>Loads <paramref name="bytes"/> (an optimizer entry) into a scratch Adam over copies of
    /// <paramref name="optimizer"/>'s parameters and takes one step with zero gradients, so that a state that does not fit
    /// (other parameter count, shapes or dtypes, a damaged pickle) is refused before the real optimizer or any weight is
    /// touched.</summary>
    public static void DryRunOptimizer(string path, string name, byte[] bytes, OptimizerHelper optimizer)
    {
        if (optimizer is not Adam)
            throw new ArgumentException($"Checkpoints restore Adam optimizers; got {optimizer.GetType().Name}.", nameof(optimizer));
        using var scope = NewDisposeScope();
        var copies = optimizer.parameters()
                              .Select(p => new Parameter(p.detach().clone(), requires_grad: true)).ToList();
        using var scratch = optim.Adam(copies);
        try
        {
            using (var stream = new MemoryStream(bytes)) scratch.load_py(stream, leaveOpen: true);
            if (copies.Count > 0) copies.Select(p => p.sum()).Aggregate((a, b) => a + b).mul(0).backward();
            scratch.step();
        }
        catch (Exception error) when (IsUnreadable(error))
        {
            throw new CorruptCheckpointException(path, $"its entry '{name}' does not hold this run's Adam state ({error.GetType().Name}: {error.Message}).", error);
        }
    }

    /// <summary>The problem with a saved generator state, or null when <paramref name="saved"/> has the dtype and length of
    /// <paramref name="current"/> (LibTorch ends the process, uncatchably, on a state of another type).</summary>
    public static string? GeneratorStateMismatch(string name, Tensor saved, Tensor current)
        => saved.dtype == current.dtype && saved.shape.SequenceEqual(current.shape)
            ? null
            : $"{name}: a generator state is [{string.Join(", ", saved.shape)}] {saved.dtype} in the file, [{string.Join(", ", current.shape)}] {current.dtype} in this run";

    /// <summary>Every difference in names and shapes between saved tensors and the tensors they are to be copied into.</summary>
    public static IEnumerable<string> Mismatches(string part, Dictionary<string, Tensor> saved, IDictionary<string, Tensor> expected,
                                                 string target = "the model")
    {
        foreach (var key in expected.Keys.Where(k => !saved.ContainsKey(k))) yield return $"{part}: missing '{key}'";
        foreach (var key in saved.Keys.Where(k => !expected.ContainsKey(k))) yield return $"{part}: unexpected '{Printable(key)}'";
        foreach (var (key, tensor) in saved.Where(kv => expected.ContainsKey(kv.Key)))
            if (!tensor.shape.SequenceEqual(expected[key].shape))
                yield return $"{part}: '{key}' is [{string.Join(", ", tensor.shape)}] in the file, [{string.Join(", ", expected[key].shape)}] in {target}";
            else if (tensor.dtype != expected[key].dtype)
                yield return $"{part}: '{key}' is {tensor.dtype} in the file, {expected[key].dtype} in {target}";
    }
}
