using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Distill.Data.Npy;

/// <summary>Writes NumPy <c>.npy</c> files (format version 1.0, C order, little-endian) byte for byte as <c>numpy.save</c> does.</summary>
/// <remarks>
/// Format: NumPy NEP 1, "A simple file format for NumPy arrays". The header is NumPy's: the dict
/// <c>{'descr': ..., 'fortran_order': False, 'shape': (...), }</c>, space padding for growth of the first axis, and
/// alignment of the data to 64 bytes, ending in a newline. Supported element types: float32 (<c>&lt;f4</c>), float64
/// (<c>&lt;f8</c>), int64 (<c>&lt;i8</c>), int32 (<c>&lt;i4</c>) and uint8 (<c>|u1</c>). A file is written under a temporary
/// name and renamed into place, so a reader never sees half an array.
/// </remarks>
public static class NpyWriter
{
    /// <summary>Writes <paramref name="rows"/>, concatenated in order, as an array of <paramref name="shape"/>.</summary>
    /// <exception cref="ArgumentException">The rows hold a different number of values than the shape needs.</exception>
    public static void Write<T>(string path, IReadOnlyList<int> shape, IEnumerable<ReadOnlyMemory<T>> rows) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("NpyWriter writes little-endian data and needs a little-endian machine.");
        if (shape.Any(d => d < 0)) throw new ArgumentException($"Shape ({string.Join(", ", shape)}) has a negative dimension.", nameof(shape));
        long expected = shape.Aggregate(1L, (a, d) => a * d), written = 0;
        string temporary = path + ".partial";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            stream.Write(Header(Descr<T>(), shape));
            foreach (var row in rows)
            {
                written += row.Length;
                if (written > expected) break;
                stream.Write(MemoryMarshal.AsBytes(row.Span));
            }
        }
        if (written != expected)
        {
            File.Delete(temporary);
            throw new ArgumentException($"Shape ({string.Join(", ", shape)}) needs {expected} values, the rows hold {(written > expected ? "more" : written.ToString(CultureInfo.InvariantCulture))}.", nameof(rows));
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Writes one array of <paramref name="shape"/> (C order).</summary>
    public static void Write<T>(string path, IReadOnlyList<int> shape, T[] values) where T : unmanaged =>
        Write(path, shape, [new ReadOnlyMemory<T>(values)]);

    private static string Descr<T>() => default(T) switch
    {
        float => "<f4",
        double => "<f8",
        long => "<i8",
        int => "<i4",
        byte => "|u1",
        _ => throw new NotSupportedException($"NpyWriter does not write {typeof(T).Name}; use float, double, long, int or byte."),
    };

    private static byte[] Header(string descr, IReadOnlyList<int> shape)
    {
        string dims = shape.Count == 1 ? $"({shape[0]},)" : $"({string.Join(", ", shape)})";
        string dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {dims}, }}";
        // NumPy leaves room for the first dimension to grow to 21 digits, then pads to a multiple of 64 bytes.
        if (shape.Count > 0) dict += new string(' ', 21 - shape[0].ToString(CultureInfo.InvariantCulture).Length);
        int unpadded = 6 + 2 + 2 + dict.Length + 1;
        dict += new string(' ', 64 - unpadded % 64) + "\n"; // NumPy pads a full 64 when already aligned
        var header = new byte[10 + dict.Length];
        ReadOnlySpan<byte> magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];
        magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(8), (ushort)dict.Length);
        Encoding.Latin1.GetBytes(dict, header.AsSpan(10));
        return header;
    }
}
