using System.Collections;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Distill.Training.Checkpoints;

/// <summary>The zip entries every checkpoint of this library is made of: JSON state, PyTorch-pickled tensor tables and raw
/// bytes, with the errors of a truncated or corrupt file turned into <see cref="CorruptCheckpointException"/>.</summary>
internal static class CheckpointZip
{
    /// <summary>JSON options of the state entries; a metric can be NaN (AUC of one class).</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Whether <paramref name="error"/> is what reading a truncated or corrupt zip, JSON or pickle throws.</summary>
    public static bool IsUnreadable(Exception error)
        => error is InvalidDataException or JsonException or EndOfStreamException or NotSupportedException or NotImplementedException
                 or InvalidOperationException or InvalidCastException or Razorvine.Pickle.PickleException;

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
    public static byte[] ReadEntry(ZipArchive zip, string path, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new CorruptCheckpointException(path, $"it has no '{name}' entry.");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The tensors of an entry written by <see cref="WriteTensors"/>, by name.</summary>
    public static Dictionary<string, Tensor> ReadTensors(ZipArchive zip, string path, string name)
    {
        using var buffer = new MemoryStream(ReadEntry(zip, path, name));
        var table = PyTorchUnpickler.UnpickleStateDict(buffer);
        return table.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);
    }

    /// <summary>Every difference in names and shapes between saved tensors and the tensors they are to be copied into.</summary>
    public static IEnumerable<string> Mismatches(string part, Dictionary<string, Tensor> saved, IDictionary<string, Tensor> expected,
                                                 string target = "the model")
    {
        foreach (var key in expected.Keys.Where(k => !saved.ContainsKey(k))) yield return $"{part}: missing '{key}'";
        foreach (var key in saved.Keys.Where(k => !expected.ContainsKey(k))) yield return $"{part}: unexpected '{key}'";
        foreach (var (key, tensor) in saved.Where(kv => expected.ContainsKey(kv.Key)))
            if (!tensor.shape.SequenceEqual(expected[key].shape))
                yield return $"{part}: '{key}' is [{string.Join(", ", tensor.shape)}] in the file, [{string.Join(", ", expected[key].shape)}] in {target}";
    }
}
