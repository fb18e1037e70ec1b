using Distill.Data.Npy;
using Distill.Tests.Data.Ecg;
using Distill.Tests.Reference;

namespace Distill.Tests.Data.Npy;

/// <summary>NpyWriter against the bytes numpy.save writes (tools/reference/npy_reference.py).</summary>
public class NpyWriterTests
{
    private static byte[] Expected(string name) => Convert.FromBase64String(ReferenceData.Load("npy_writer.json").GetProperty(name).GetProperty("bytes").GetString()!);

    private static byte[] Written<T>(int[] shape, T[] values) where T : unmanaged
    {
        using var folder = new TempFolder();
        string path = folder.File("a.npy");
        NpyWriter.Write(path, shape, values);
        Assert.False(File.Exists(path + ".partial"));
        return File.ReadAllBytes(path);
    }

    [Fact]
    public void FilesAreNumPysByteForByte()
    {
        Assert.Equal(Expected("float32_2x1x3"), Written([2, 1, 3], Enumerable.Range(0, 6).Select(i => i / 8f - 1).ToArray()));
        Assert.Equal(Expected("float64_4"), Written([4], Enumerable.Range(0, 4).Select(i => i / 8.0 - 1).ToArray()));
        Assert.Equal(Expected("int64_3"), Written([3], Enumerable.Range(0, 3).Select(i => i * 1_000_000_007L - 3).ToArray()));
        Assert.Equal(Expected("int32_5"), Written([5], Enumerable.Range(0, 5).Select(i => (int)(((i * 1_000_000_007L - 3) % 2147483647 + 2147483647) % 2147483647)).ToArray())); // Python's non-negative %
        Assert.Equal(Expected("uint8_7"), Written([7], Enumerable.Range(0, 7).Select(i => (byte)(i * 37 % 256)).ToArray()));
        Assert.Equal(Expected("float32_1234567x0"), Written([1234567, 0], Array.Empty<float>()));
        Assert.Equal(Expected("uint8_aligned"), Written([0, 1, 1, 1, 10, 10, 10, 10, 10, 10, 10, 10], Array.Empty<byte>()));
    }

    [Fact]
    public void RowsAreConcatenatedAndReadBack()
    {
        using var folder = new TempFolder();
        string path = folder.File("rows.npy");
        float[][] rows = [[1, 2, 3], [4, 5, 6]];
        NpyWriter.Write(path, [2, 1, 3], rows.Select(r => new ReadOnlyMemory<float>(r)));
        var read = NpyReader.Read(path);
        Assert.Equal([2, 1, 3], read.Shape);
        Assert.Equal([1.0, 2, 3, 4, 5, 6], read.Data);
    }

    [Fact]
    public void ACountThatDoesNotFitTheShapeIsRefusedAndLeavesNoFile()
    {
        using var folder = new TempFolder();
        string path = folder.File("bad.npy");
        var error = Assert.Throws<ArgumentException>(() => NpyWriter.Write(path, [2, 3], new float[5]));
        Assert.Contains("needs 6 values", error.Message);
        Assert.Throws<ArgumentException>(() => NpyWriter.Write(path, [2], new float[3]));
        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".partial"));
    }
}
