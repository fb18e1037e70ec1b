using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Distill.Data.Npy;

/// <summary>Reads NumPy <c>.npy</c> files holding little-endian float32 or float64 arrays in C order.</summary>
/// <remarks>
/// Format (NumPy NEP 1, "A simple file format for NumPy arrays"): the magic <c>\x93NUMPY</c>, a major and minor
/// version byte, the header length (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3), a Python dict
/// literal with <c>descr</c>, <c>fortran_order</c> and <c>shape</c>, then the raw data. Anything else (big-endian,
/// Fortran order, integer or object dtypes, a wrong data length) is rejected with a message saying how to re-save it.
/// </remarks>
public static partial class NpyReader
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the array in <paramref name="path"/>.</summary>
    public static NpyArray Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"NPY file '{path}' does not exist.", path);
        return Parse(File.ReadAllBytes(path), path);
    }

    /// <summary>Parses <c>.npy</c> bytes; <paramref name="path"/> only names the source in error messages.</summary>
    public static NpyArray Parse(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < 10 || !bytes[..6].SequenceEqual(Magic))
            throw Bad(path, "it does not start with the NPY magic '\\x93NUMPY'", "Save the array with numpy.save");
        int major = bytes[6];
        int headerLength, start;
        switch (major)
        {
            case 1: headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes[8..]); start = 10; break;
            case 2 or 3:
                if (bytes.Length < 12) throw Bad(path, "the header is truncated", "The file is incomplete; save it again");
                headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..])); start = 12; break;
            default: throw Bad(path, $"NPY format version {major} is not known", "Save with numpy.save (versions 1 to 3)");
        }
        if (start + headerLength > bytes.Length) throw Bad(path, "the header is truncated", "The file is incomplete; save it again");
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(bytes.Slice(start, headerLength));

        string descr = Field(DescrField(), header, path, "descr");
        string fortran = Field(FortranField(), header, path, "fortran_order");
        string shapeText = Field(ShapeField(), header, path, "shape");
        if (fortran != "False")
            throw Bad(path, "the array is stored in Fortran (column-major) order", "Save numpy.ascontiguousarray(a) instead");
        int itemSize = descr switch
        {
            "<f4" => 4,
            "<f8" => 8,
            ">f4" or ">f8" => throw Bad(path, $"dtype '{descr}' is big-endian", "Save a.astype('<f8') (or '<f4') instead"),
            _ => throw Bad(path, $"dtype '{descr}' is not supported (only little-endian float32 '<f4' and float64 '<f8')", "Save a.astype(numpy.float32) or numpy.float64"),
        };
        int[] shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(int.Parse).ToArray();
        long count = shape.Aggregate(1L, (a, d) => a * d);
        var data = bytes[(start + headerLength)..];
        if (data.Length != count * itemSize)
            throw Bad(path, $"shape ({string.Join(", ", shape)}) of '{descr}' needs {count * itemSize} data bytes, the file has {data.Length}",
                data.Length < count * itemSize ? "The file is truncated; save it again" : "The header does not describe the data; save it again with numpy.save");

        var values = new double[count];
        for (int i = 0; i < values.Length; i++)
            values[i] = itemSize == 4
                ? BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..])
                : BinaryPrimitives.ReadDoubleLittleEndian(data[(8 * i)..]);
        return new NpyArray(shape, descr, values);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'(?<v>[^']*)'")]
    private static partial Regex DescrField();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(?<v>True|False)")]
    private static partial Regex FortranField();

    [GeneratedRegex(@"'shape'\s*:\s*\((?<v>[\d,\s]*)\)")]
    private static partial Regex ShapeField();

    private static string Field(Regex pattern, string header, string path, string name)
    {
        var m = pattern.Match(header);
        return m.Success ? m.Groups["v"].Value : throw Bad(path, $"the header has no valid '{name}' entry", "Save the array with numpy.save");
    }

    private static InvalidDataException Bad(string path, string problem, string fix) => new($"{path}: {problem}. {fix}.");
}
