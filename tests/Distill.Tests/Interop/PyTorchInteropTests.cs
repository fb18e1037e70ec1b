using Distill.Data;
using Distill.Interop;
using Distill.Models;
using Distill.Tests.Reference;
using static TorchSharp.torch;

namespace Distill.Tests.Interop;

public sealed class PyTorchInteropTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-interop-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>Writes the PyTorch-saved fixture (stored as base64 in the JSON) to a file, as a user would have it.</summary>
    private string PyTorchFile(out System.Text.Json.JsonElement reference)
    {
        reference = ReferenceData.Load("interop_mlp.json");
        string path = Path.Combine(folder, "from_pytorch.pt");
        File.WriteAllBytes(path, Convert.FromBase64String(reference.GetProperty("state_dict_base64").GetString()!));
        return path;
    }

    private static Mlp Model(params int[] widths) => new(widths);

    private static bool SameBits(Tensor a, Tensor b)
        => a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.cpu().bytes.SequenceEqual(b.cpu().bytes);

    [Fact]
    public void PyTorchStateDictLoadsAndGivesPyTorchsOutput()
    {
        string path = PyTorchFile(out var reference);
        var model = Model(6, 8, 5);
        model.LoadPyTorch(path, PyTorchLayouts.CrdWalkthroughAnn(model));
        model.eval();
        using var noGrad = no_grad();
        var output = model.call(ReferenceData.Tensor(reference.GetProperty("input"), 4, 6));
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("output")),
                              output.to(ScalarType.Float64).data<double>().ToArray(), 1e-5, 1e-7, "eval-mode logits");
    }

    [Fact]
    public void SavedFileUsesThePyTorchKeysAndRoundTripsBitExactly()
    {
        string pyTorchFile = PyTorchFile(out var reference);
        var original = Model(6, 8, 5);
        original.LoadPyTorch(pyTorchFile, PyTorchLayouts.CrdWalkthroughAnn(original));
        string saved = Path.Combine(folder, "from_csharp.pt");
        original.SavePyTorch(saved, PyTorchLayouts.CrdWalkthroughAnn(original));

        var pythonKeys = reference.GetProperty("keys").EnumerateArray().Select(k => k.GetString()).Order().ToArray();
        var written = PyTorchStateDict.Read(saved);
        Assert.Equal(pythonKeys, written.Keys.Order().ToArray());

        var copy = Model(6, 8, 5); // freshly initialised: differs before loading
        Assert.False(SameBits(copy.state_dict()["blocks.0.linear.weight"], original.state_dict()["blocks.0.linear.weight"]));
        copy.LoadPyTorch(saved, PyTorchLayouts.CrdWalkthroughAnn(copy));
        var expected = original.state_dict();
        foreach (var (key, tensor) in copy.state_dict())
            Assert.True(SameBits(tensor, expected[key]), $"{key} changed in the round trip");
    }

    [Fact]
    public void WrongWidthsListEveryMismatchAndLeaveTheModelUnchanged()
    {
        string path = PyTorchFile(out _);
        var model = Model(6, 9, 5);
        var before = model.state_dict()["blocks.0.linear.weight"].clone();
        var error = Assert.Throws<StateDictMismatchException>(() => model.LoadPyTorch(path, PyTorchLayouts.CrdWalkthroughAnn(model)));
        Assert.Contains("Layer_List.0.linear.0.weight: file [8, 6] Float32, model [9, 6] Float32", error.Message);
        Assert.Contains("Layer_List.1.linear.0.weight: file [5, 8] Float32, model [5, 9] Float32", error.Message);
        Assert.Contains(path, error.Message);
        Assert.Empty(error.Missing);
        Assert.Empty(error.Unexpected);
        Assert.True(SameBits(model.state_dict()["blocks.0.linear.weight"], before));
    }

    [Fact]
    public void MissingAndUnexpectedKeysAreListed()
    {
        string path = PyTorchFile(out _);
        var deeper = Model(6, 8, 5, 4);
        var missing = Assert.Throws<StateDictMismatchException>(() => deeper.LoadPyTorch(path, PyTorchLayouts.CrdWalkthroughAnn(deeper)));
        Assert.Contains("Layer_List.2.linear.0.weight", missing.Missing);
        Assert.Contains("Layer_List.2.linear.1.running_var", missing.Missing);
        Assert.Contains("missing keys:", missing.Message);

        var shallower = Model(6, 8);
        var unexpected = Assert.Throws<StateDictMismatchException>(() => shallower.LoadPyTorch(path, PyTorchLayouts.CrdWalkthroughAnn(shallower)));
        Assert.Contains("Layer_List.1.linear.1.num_batches_tracked", unexpected.Unexpected);
        Assert.Contains("unexpected keys:", unexpected.Message);
    }

    [Fact]
    public void TruncatedOrAbsentFilesGiveAClearError()
    {
        string path = PyTorchFile(out _);
        byte[] bytes = File.ReadAllBytes(path);
        string truncated = Path.Combine(folder, "truncated.pt");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var model = Model(6, 8, 5);
        var error = Assert.Throws<InvalidFileException>(() => model.LoadPyTorch(truncated, PyTorchLayouts.CrdWalkthroughAnn(model)));
        Assert.Contains(truncated, error.Message);
        Assert.Contains("is a damaged PyTorch file", error.Message);

        string notZip = Path.Combine(folder, "notes.pt");
        File.WriteAllText(notZip, "not a checkpoint");
        var random = Assert.Throws<InvalidFileException>(() => model.LoadPyTorch(notZip, PyTorchLayouts.CrdWalkthroughAnn(model)));
        Assert.Contains("is not a PyTorch file (it does not start with the zip signature torch.save writes)", random.Message);
        Assert.DoesNotContain("legacy", random.Message);

        string empty = Path.Combine(folder, "empty.pt");
        File.WriteAllBytes(empty, []);
        var nothing = Assert.Throws<InvalidFileException>(() => model.LoadPyTorch(empty, PyTorchLayouts.CrdWalkthroughAnn(model)));
        Assert.Contains("is not a PyTorch file (it is empty)", nothing.Message);

        var absent = Assert.Throws<FileNotFoundException>(() => model.LoadPyTorch(Path.Combine(folder, "absent.pt"), PyTorchLayouts.CrdWalkthroughAnn(model)));
        Assert.Contains("torch.save(model.state_dict(), path)", absent.Message);
    }

    [Fact]
    public void ALayoutBuiltForAnotherModelIsRejected()
    {
        string path = PyTorchFile(out _);
        var model = Model(6, 8, 5);
        var error = Assert.Throws<ArgumentException>(() => model.LoadPyTorch(path, PyTorchLayouts.CrdWalkthroughAnn(Model(6, 8))));
        Assert.Contains("blocks.1.linear.weight", error.Message);
    }
}
