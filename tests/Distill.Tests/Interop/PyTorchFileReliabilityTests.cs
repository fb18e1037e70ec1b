using System.IO.Compression;
using Distill.Data;
using Distill.Interop;
using Distill.Models;
using Distill.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Interop;

/// <summary>PyTorch files: views load with their true values, damaged files are refused by their CRC-32, and NaN or
/// infinite weights are refused at load, naming the tensor.</summary>
public sealed class PyTorchFileReliabilityTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-pt-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Fixture => Path.Combine(AppContext.BaseDirectory, "Reference", "interop_views.pt");

    [Fact]
    public void ViewsSavedByTorchLoadWithTheValuesPyTorchPrints()
    {
        var expected = ReferenceData.Load("interop_views.json").GetProperty("tensors");
        var tensors = PyTorchStateDict.Read(Fixture);
        try
        {
            Assert.Equal(expected.EnumerateObject().Select(p => p.Name).Order(), tensors.Keys.Order());
            foreach (var property in expected.EnumerateObject())
            {
                var tensor = tensors[property.Name];
                Assert.Equal(property.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()), tensor.shape);
                Assert.True(tensor.is_contiguous(), property.Name);
                double[] values = property.Value.GetProperty("values").EnumerateArray()
                    .Select(v => v.ValueKind == System.Text.Json.JsonValueKind.True ? 1 : v.ValueKind == System.Text.Json.JsonValueKind.False ? 0 : v.GetDouble())
                    .ToArray();
                using var flat = tensor.reshape(-1).to_type(ScalarType.Float64);
                Assert.Equal(values, flat.data<double>().ToArray());
            }
            // The views really are views in the file (the fixture would prove nothing otherwise).
            Assert.Equal(8, expected.GetProperty("slice").GetProperty("offset").GetInt32());
            Assert.Equal([1, 6], expected.GetProperty("transposed").GetProperty("stride").EnumerateArray().Select(s => s.GetInt32()));
        }
        finally
        {
            foreach (var tensor in tensors.Values) tensor.Dispose();
        }
    }

    [Fact]
    public void AFlippedByteInsideATensorFailsItsCrc32()
    {
        byte[] bytes = File.ReadAllBytes(Fixture);
        // The first storage entry's data: PyTorch stores entries uncompressed, so this byte is a weight's byte.
        using (var zip = new ZipArchive(new MemoryStream(bytes)))
            Assert.Contains(zip.Entries, e => e.FullName.EndsWith("data/0", StringComparison.Ordinal));
        int at = IndexOf(bytes, "data/0"u8.ToArray()) + "data/0"u8.Length + 70;
        bytes[at] ^= 0x40;
        string damaged = Path.Combine(folder, "damaged.pt");
        File.WriteAllBytes(damaged, bytes);
        var error = Assert.Throws<InvalidFileException>(() => PyTorchStateDict.Read(damaged));
        Assert.Equal(damaged, error.FilePath);
        Assert.Contains("fails its CRC-32", error.Message);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void NonFiniteWeightsAreRefusedNamingTheTensor(float value)
    {
        var model = new Mlp([6, 8], outputs: 1, name: "teacher");
        var layout = PyTorchLayouts.CrdWalkthroughAnn(model);
        string path = Path.Combine(folder, "diverged.pt");
        string bias = model.state_dict().Keys.Single(k => layout.ToPyTorch(k) == "classifier.0.bias");
        using (no_grad()) model.state_dict()[bias].fill_(value);
        model.SavePyTorch(path, layout);

        var fresh = new Mlp([6, 8], outputs: 1, name: "teacher");
        var before = fresh.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var error = Assert.Throws<InvalidFileException>(() => fresh.LoadPyTorch(path, PyTorchLayouts.CrdWalkthroughAnn(fresh)));
        Assert.Contains("tensor 'classifier.0.bias' holds NaN or infinite values", error.Message);
        Assert.All(fresh.state_dict(), kv => Assert.True(kv.Value.eq(before[kv.Key]).all().item<bool>(), kv.Key)); // unchanged
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle)) return i;
        return -1;
    }
}
