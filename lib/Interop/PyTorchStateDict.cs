using System.Collections;
using System.IO.Compression;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Distill.Interop;

/// <summary>Reads and writes <c>torch.save(model.state_dict(), path)</c> files (PyTorch's zip format) with TorchSharp.PyBridge.</summary>
/// <remarks>PyBridge's own <c>load_py</c> matches keys by name only; loading goes through
/// <see cref="PyTorchInterop"/> instead, which renames keys with a <see cref="StateDictLayout"/> and reports every
/// mismatch at once. Files in PyTorch's legacy (pre-1.6, non-zip) format, such as the weights the BeatGAN authors released, and pickled
/// whole models are rejected.</remarks>
public static class PyTorchStateDict
{
    /// <summary>Reads the tensors of a PyTorch state_dict file (on the CPU), by PyTorch key.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable PyTorch state_dict; files in the legacy format
    /// get their own message with the one-line re-save that converts them.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No PyTorch state_dict at '{path}'. Save one in Python with torch.save(model.state_dict(), path).", path);
        if (IsLegacyFormat(path))
            throw new InvalidDataException(
                $"'{path}' is in PyTorch's legacy serialization format (torch.save before PyTorch 1.6, or with " +
                "_use_new_zipfile_serialization=False), which cannot be read here; the BeatGAN authors' released *.pkl weights are " +
                "in this format. Re-save it once with PyTorch 1.6 or later: torch.save(torch.load(old_path), new_path).");
        Hashtable table;
        try
        {
            using var stream = File.OpenRead(path);
            table = PyTorchUnpickler.UnpickleStateDict(stream);
        }
        catch (Exception error) when (error is InvalidDataException or NotImplementedException or InvalidCastException
                                          or EndOfStreamException or IOException or InvalidOperationException
                                          or Razorvine.Pickle.PickleException)
        {
            throw new InvalidDataException(
                $"'{path}' is not a readable PyTorch state_dict ({error.GetType().Name}: {error.Message}). " +
                "Expected the zip file torch.save(model.state_dict(), path) writes (PyTorch 1.6 or later); " +
                "the file may be truncated, corrupt, a pickled whole model, or in the legacy format.", error);
        }
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string key || entry.Value is not Tensor tensor)
                throw new InvalidDataException($"'{path}' holds a '{entry.Key}' entry that is not a named tensor: it is not a state_dict.");
            result[key] = tensor;
        }
        return result;
    }

    // A legacy file is a pickle stream that opens with torch's magic number 0x1950a86a20f9469cfc6c as a 10-byte LONG1
    // (opcode 0x8a, length 10) right after the PROTO opcode; the zip format opens with "PK".
    private static readonly byte[] LegacyMagic = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

    private static bool IsLegacyFormat(string path)
    {
        var head = new byte[2 + LegacyMagic.Length];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false) == head.Length
               && head[0] == 0x80 && head.AsSpan(2).SequenceEqual(LegacyMagic);
    }

    /// <summary>Writes tensors as a PyTorch state_dict file that <c>torch.load</c> reads (atomically: a crash never leaves half a file).</summary>
    /// <param name="path">Output file.</param>
    /// <param name="tensors">Tensors by PyTorch key; they are copied to the CPU for writing.</param>
    public static void Write(string path, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        using var scope = NewDisposeScope();
        var table = new Hashtable();
        foreach (var (key, tensor) in tensors) table[key] = tensor.detach().cpu().contiguous();
        Training.Checkpoints.AtomicFile.Write(path, stream => PyTorchPickler.PickleStateDict(stream, table, leaveOpen: true));
    }
}
