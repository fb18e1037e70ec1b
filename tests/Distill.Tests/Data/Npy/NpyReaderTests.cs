using Distill.Data;
using System.Text;
using Distill.Data.Ecg;
using Distill.Data.Npy;
using TorchSharp;

namespace Distill.Tests.Data.Npy;

public class NpyReaderTests
{
    // A version-1 (or 2) .npy file assembled by hand from NEP 1: magic, version, header length, padded dict, data.
    private static byte[] File(string dict, byte[] data, int major = 1)
    {
        int prefix = major == 1 ? 10 : 12;
        string header = dict.PadRight(((prefix + dict.Length + 1 + 63) / 64) * 64 - prefix - 1) + "\n";
        var bytes = new List<byte> { 0x93 };
        bytes.AddRange("NUMPY"u8.ToArray());
        bytes.Add((byte)major);
        bytes.Add(0);
        bytes.AddRange(major == 1 ? BitConverter.GetBytes((ushort)header.Length) : BitConverter.GetBytes((uint)header.Length));
        bytes.AddRange(Encoding.Latin1.GetBytes(header));
        bytes.AddRange(data);
        return [.. bytes];
    }

    private static byte[] Floats(params float[] v) => v.SelectMany(BitConverter.GetBytes).ToArray();

    [Fact]
    public void DemoBeatsHaveTheStatedShapeAndNumpysValues()
    {
        var normal = BeatGanDemo.Normal();
        var abnormal = BeatGanDemo.Abnormal();
        Assert.Equal([64, 2, 320], normal.Shape);
        Assert.Equal([64, 2, 320], abnormal.Shape);
        Assert.Equal("<f8", normal.DType);
        // Values from numpy.load (python3, NumPy 1.24).
        Assert.Equal(-0.029307241557054234, normal.Data[0]);
        Assert.Equal(-0.016374896539285783, normal.Data[^1]);
        Assert.Equal(0.03365108106806758, abnormal.Data[^1]);
        Assert.Equal(-415.4153718756746, normal.Data.Sum(), 9);
        Assert.Equal(-311.275937413153, abnormal.Data.Sum(), 9);
    }

    [Fact]
    public void DemoBeatsAreScaledToUnitRangeByTheLoaderNotInTheFile()
    {
        // As stored the windows are filtered mV (beyond [-1, 1]); BeatGAN's loader min-max scales them.
        var normal = BeatGanDemo.Normal();
        Assert.True(normal.Data.Max() > 1.5);
        using var scaled = BeatGanDemo.ToScaledTensor(normal);
        Assert.Equal([64L, 2, 320], scaled.shape);
        Assert.Equal(DeviceType.CPU, scaled.device.type); // no device given: TorchSharp's default
        Assert.Equal(-1f, scaled.amin([2]).max().item<float>(), 6);
        Assert.Equal(-1f, scaled.amin([2]).min().item<float>(), 6);
        Assert.Equal(1f, scaled.amax([2]).min().item<float>(), 6);
        Assert.Equal(1f, scaled.amax([2]).max().item<float>(), 6);
    }

    [Fact]
    public void Float32VersionTwoFileReadsInCOrder()
    {
        byte[] bytes = File("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", Floats(1, 2, 3, 4, 5, -6.5f), major: 2);
        var array = NpyReader.Parse(bytes, "m.npy");
        Assert.Equal([2, 3], array.Shape);
        Assert.Equal([1.0, 2, 3, 4, 5, -6.5], array.Data);
        using var tensor = array.ToTensor();
        Assert.Equal(-6.5f, tensor[1, 2].item<float>());
    }

    [Theory]
    [InlineData("{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }", 8, "big-endian")]
    [InlineData("{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }", 8, "'<i4' is not supported")]
    [InlineData("{'descr': '<f8', 'fortran_order': True, 'shape': (1, 1), }", 8, "Fortran")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", 16, "truncated")]
    [InlineData("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", 16, "does not describe the data")]
    [InlineData("{'fortran_order': False, 'shape': (1,), }", 8, "no valid 'descr'")]
    public void UnsupportedOrInconsistentFilesAreRejected(string dict, int dataBytes, string problem)
    {
        var error = Assert.Throws<InvalidFileException>(() => NpyReader.Parse(File(dict, new byte[dataBytes]), "bad.npy"));
        Assert.Contains("bad.npy", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("(2147483647, 2147483647, 4)", 8, "needs more bytes than the file holds")] // the product wraps a long
    [InlineData("(4294967296, 0)", 0, "not a count below 2^31")]
    [InlineData("(99999999999999999999,)", 8, "not a count below 2^31")]
    public void ShapesThatOverflowAreRejected(string shape, int dataBytes, string problem)
    {
        var error = Assert.Throws<InvalidFileException>(() =>
            NpyReader.Parse(File($"{{'descr': '<f8', 'fortran_order': False, 'shape': {shape}, }}", new byte[dataBytes]), "big.npy"));
        Assert.Equal("big.npy", error.FilePath);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void AVersionTwoHeaderOf2GiBIsRejected()
    {
        byte[] bytes = File("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[8], major: 2);
        BitConverter.GetBytes(0x8000_0000u).CopyTo(bytes, 8);
        var error = Assert.Throws<InvalidFileException>(() => NpyReader.Parse(bytes, "long.npy"));
        Assert.Contains("2 GiB", error.Message);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void NonFiniteValuesAreRejectedNamingTheFileAndTheElement(float value, string shown)
    {
        byte[] bytes = File("{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", Floats(1, value, 3));
        var error = Assert.Throws<InvalidFileException>(() => NpyReader.Parse(bytes, "beats.npy"));
        Assert.StartsWith("beats.npy: element 1 (C order) is " + shown, error.Message);
    }

    [Fact]
    public void NotAnNpyFile()
    {
        var error = Assert.Throws<InvalidFileException>(() => NpyReader.Parse("PK\x03\x04 not numpy"u8, "x.npz"));
        Assert.Contains("magic", error.Message);
    }
}
