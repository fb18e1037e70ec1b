using System.Collections;
using Distill.Data;
using System.IO.Compression;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Distill.Interop;

/// <summary>Reads and writes <c>torch.save(model.state_dict(), path)</c> files (PyTorch's zip format) with TorchSharp.PyBridge.</summary>
/// <remarks>PyBridge's own <c>load_py</c> matches keys by name only; loading goes through
/// <see cref="PyTorchInterop"/> instead, which renames keys with a <see cref="StateDictLayout"/> and reports every
/// mismatch at once. Files in PyTorch's legacy (pre-1.6, non-zip) format, such as the weights the BeatGAN authors released, and pickled
/// whole models are rejected with an <see cref="InvalidFileException"/>.</remarks>
public static class PyTorchStateDict
{
    /// <summary>Reads the tensors of a PyTorch state_dict file (on the CPU, contiguous), by PyTorch key.</summary>
    /// <remarks>Every zip entry is checked against its CRC-32 before anything is unpickled (PyTorch writes them; .NET's
    /// zip reader does not check them), and tensors saved as views (an offset and strides into a larger or shared storage,
    /// as <c>torch.save</c> writes transposes and slices) are rebuilt from their storage (<see cref="StateDictUnpickler"/>).
    /// Floating-point tensors holding NaN or infinite values are refused, naming the tensor.</remarks>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileException">The file is not a PyTorch file, is in the legacy format, damaged (a CRC-32
    /// fails), not a state_dict, or holds non-finite values; the message names the file and the fix.</exception>
    public static Dictionary<string, Tensor> Read(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"No PyTorch state_dict at '{path}'. Save one in Python with torch.save(model.state_dict(), path).", path);
        var head = new byte[2 + LegacyMagic.Length];
        int length;
        using (var stream = File.OpenRead(path)) length = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (length == head.Length && head[0] == 0x80 && head.AsSpan(2).SequenceEqual(LegacyMagic))
            throw new InvalidFileException(path,
                $"'{path}' is in PyTorch's legacy serialization format (torch.save before PyTorch 1.6, or with " +
                "_use_new_zipfile_serialization=False), which cannot be read here; the BeatGAN authors' released *.pkl weights are " +
                "in this format. Re-save it once with PyTorch 1.6 or later: torch.save(torch.load(old_path), new_path).");
        if (length < 4 || head[0] != 'P' || head[1] != 'K' || head[2] != 3 || head[3] != 4)
            throw new InvalidFileException(path,
                $"'{path}' is not a PyTorch file ({(length == 0 ? "it is empty" : "it does not start with the zip signature torch.save writes")}). " +
                "Expected a file saved with torch.save(model.state_dict(), path) (PyTorch 1.6 or later).");
        var entries = Training.Checkpoints.CheckpointZip.ReadVerified(path, (problem, inner) =>
            new InvalidFileException(path, $"'{path}' is a damaged PyTorch file: {problem} Save it again with torch.save, or copy it again.", inner));
        Hashtable table;
        try
        {
            table = StateDictUnpickler.Unpickle(entries, path);
        }
        catch (Exception error) when (error is not InvalidFileException && Training.Checkpoints.CheckpointZip.IsUnreadable(error))
        {
            throw new InvalidFileException(path,
                $"'{path}' is not a readable PyTorch state_dict ({error.GetType().Name}: {error.Message}). " +
                "Expected the zip file torch.save(model.state_dict(), path) writes (PyTorch 1.6 or later); " +
                "the file may be a pickled whole model or hold other objects.", error);
        }
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (DictionaryEntry entry in table)
            {
                if (entry.Key is not string key || entry.Value is not Tensor tensor)
                    throw new InvalidFileException(path, $"'{path}' holds a '{entry.Key}' entry that is not a named tensor: it is not a state_dict.");
                result[key] = tensor;
                if (tensor.is_floating_point() && !tensor.isfinite().all().item<bool>())
                    throw new InvalidFileException(path,
                        $"'{path}': tensor '{key}' holds NaN or infinite values ({tensor.isnan().sum().item<long>()} NaN, " +
                        $"{tensor.isinf().sum().item<long>()} infinite); the model that saved it had diverged. Save the weights of an earlier, finite epoch.");
            }
        }
        catch
        {
            foreach (var value in table.Values) (value as Tensor)?.Dispose();
            throw;
        }
        return result;
    }

    // A legacy file is a pickle stream that opens with torch's magic number 0x1950a86a20f9469cfc6c as a 10-byte LONG1
    // (opcode 0x8a, length 10) right after the PROTO opcode; the zip format opens with "PK".
    private static readonly byte[] LegacyMagic = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

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
