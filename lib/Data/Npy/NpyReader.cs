using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Distill.Data.Npy;

/// <summary>Reads NumPy <c>.npy</c> files holding little-endian float32 or float64 arrays in C order.</summary>
/// <remarks>
/// Format (NumPy NEP 1, "A simple file format for NumPy arrays"): the magic <c>\x93NUMPY</c>, a major and minor
/// version byte, the header length (2 bytes little-endian in version 1, 4 bytes in versions 2 and 3), a Python dict
/// literal with <c>descr</c>, <c>fortran_order</c> and <c>shape</c>, then the raw data. Anything else (big-endian,
/// Fortran order, integer or object dtypes, a wrong data length, a header of 2 GiB or more, a dimension or element count
/// beyond what one array holds, NaN or infinite values) is rejected with an <see cref="InvalidFileException"/> naming the
/// file and saying how to re-save it.
/// </remarks>
public static partial class NpyReader
{
    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads the array in <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidFileException">The file is not a supported, intact NPY file of finite values.</exception>
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
                uint declared = BinaryPrimitives.ReadUInt32LittleEndian(bytes[8..]);
                if (declared > int.MaxValue - 12)
                    throw Bad(path, $"the header declares {declared} bytes (2 GiB or more)", "The file is corrupt; save it again with numpy.save");
                headerLength = (int)declared; start = 12; break;
            default: throw Bad(path, $"NPY format version {major} is not known", "Save with numpy.save (versions 1 to 3)");
        }
        if ((long)start + headerLength > bytes.Length) throw Bad(path, "the header is truncated", "The file is incomplete; save it again");
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
        int[] shape = Shape(shapeText, path);
        var data = bytes[(start + headerLength)..];
        // The element count fits a long (each dimension is below 2^31 and the data is under 2 GiB): a product beyond the
        // data's size is caught before it could wrap.
        long count = shape.Contains(0) ? 0 : 1;
        foreach (int d in shape)
        {
            if (count > data.Length) break;
            count *= d;
        }
        bool tooLarge = count > data.Length;
        if (tooLarge || data.Length != count * itemSize)
        {
            string needs = tooLarge ? "more bytes than the file holds" : $"{count * itemSize} data bytes";
            throw Bad(path, $"shape ({string.Join(", ", shape)}) of '{descr}' needs {needs}, the file has {data.Length}",
                tooLarge || data.Length < count * itemSize ? "The file is truncated or its shape is corrupt; save it again"
                                                           : "The header does not describe the data; save it again with numpy.save");
        }

        var values = new double[count];
        for (int i = 0; i < values.Length; i++)
        {
            double v = itemSize == 4
                ? BinaryPrimitives.ReadSingleLittleEndian(data[(4 * i)..])
                : BinaryPrimitives.ReadDoubleLittleEndian(data[(8 * i)..]);
            if (!double.IsFinite(v))
                throw Bad(path, $"element {i} (C order) is {v.ToString(System.Globalization.CultureInfo.InvariantCulture)}", "Replace NaN and infinite values before saving (numpy.nan_to_num, or drop those rows)");
            values[i] = v;
        }
        return new NpyArray(shape, descr, values);
    }

    private static int[] Shape(string text, string path)
    {
        var dims = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var shape = new int[dims.Length];
        for (int i = 0; i < dims.Length; i++)
            if (!int.TryParse(dims[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out shape[i]))
                throw Bad(path, $"dimension {i} of the shape is '{dims[i]}', not a count below 2^31", "The header is corrupt; save the array again with numpy.save");
        return shape;
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

    private static InvalidFileException Bad(string path, string problem, string fix) => InvalidFileException.Of(path, problem, fix);
}
