using Distill.Data;
using System.Text.Json;
using Distill.Interop;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Interop;

/// <summary>BeatGAN state_dicts written by the authors' PyTorch model (tools/reference/beatgan_interop.py) load into our
/// networks, give PyTorch's eval-mode outputs, and what we write has the authors' keys.</summary>
public sealed class BeatGanInteropTests : IDisposable
{
    /// <summary>Set it to a folder to keep the files SavePyTorch writes, then check them in PyTorch with
    /// <c>/usr/bin/python3 tools/reference/beatgan_interop.py --verify FOLDER</c>.</summary>
    private const string ExportVariable = "DISTILL_INTEROP_EXPORT";

    private static readonly JsonElement Reference = ReferenceData.Load("beatgan_interop.json");
    private readonly string folder = Directory.CreateTempSubdirectory("distill-beatgan-interop-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static int Config(string name) => Reference.GetProperty("config").GetProperty(name).GetInt32();

    /// <summary>The sizes the fixture was written with (nc 1, nz 8, ngf = ndf = 3, 320 samples).</summary>
    private static BeatGanOptions Fixture => new(Config("nc"), Config("nz"), Config("ngf"), Config("ndf"), Config("length"));

    /// <summary>Writes one of the PyTorch-saved files (base64 in the JSON) to disk, as a user would have it.</summary>
    private string PyTorchFile(string property)
    {
        string path = Path.Combine(folder, property + ".pt");
        File.WriteAllBytes(path, Convert.FromBase64String(Reference.GetProperty(property).GetString()!));
        return path;
    }

    private static Tensor Input()
        => ReferenceData.Tensor(Reference.GetProperty("input"), Config("batch"), Config("nc"), Config("length")).to(DistillDevice.Current);

    private static double[] Expected(string output) => ReferenceData.Doubles(Reference.GetProperty("eval").GetProperty(output));

    private static double[] Values(Tensor tensor) => tensor.detach().cpu().to(ScalarType.Float64).data<double>().ToArray();

    private static bool SameBits(Tensor a, Tensor b)
        => a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && a.cpu().bytes.SequenceEqual(b.cpu().bytes);

    private static (nn.Module Network, StateDictLayout Layout) Build(string network, BeatGanOptions options) => network switch
    {
        "generator" => WithLayout(new BeatGanGenerator(options)),
        "discriminator" => WithLayout(new BeatGanDiscriminator(options)),
        _ => throw new ArgumentOutOfRangeException(nameof(network), network, "generator or discriminator"),
    };

    private static (nn.Module, StateDictLayout) WithLayout(BeatGanGenerator g) => (g, PyTorchLayouts.BeatGanGenerator(g));
    private static (nn.Module, StateDictLayout) WithLayout(BeatGanDiscriminator d) => (d, PyTorchLayouts.BeatGanDiscriminator(d));

    [Theory]
    [InlineData("generator")]
    [InlineData("discriminator")]
    public void LayoutNamesEveryTensorAsTheAuthorsModelDoesWithTheSameShape(string network)
    {
        var (model, layout) = Build(network, Fixture);
        var authors = Reference.GetProperty(network + "_keys").EnumerateArray()
            .ToDictionary(pair => pair[0].GetString()!, pair => pair[1].EnumerateArray().Select(d => d.GetInt64()).ToArray());
        var ours = model.state_dict().ToDictionary(kv => layout.ToPyTorch(kv.Key), kv => kv.Value.shape);
        Assert.Equal(authors.Keys.Order(), ours.Keys.Order());
        foreach (var (key, shape) in authors) Assert.True(shape.SequenceEqual(ours[key]), $"{key}: authors [{string.Join(", ", shape)}], ours [{string.Join(", ", ours[key])}]");
    }

    [Fact]
    public void AuthorsGeneratorFileReconstructsAsPyTorchDoes()
    {
        var generator = BeatGanPyTorch.LoadGenerator(PyTorchFile("generator_pt_base64"), Fixture);
        Assert.False(generator.training); // a teacher: batch norm must use the file's running statistics
        using var noGrad = no_grad();
        var pass = generator.Reconstruct(Input());
        Tolerance.AssertCloseAtScale(Expected("reconstruction"), Values(pass.Reconstruction), 1e-5, "reconstruction x'");
        Tolerance.AssertCloseAtScale(Expected("latent"), Values(pass.Latent), 1e-5, "latent code z");
    }

    [Fact]
    public void AuthorsDiscriminatorFileScoresAsPyTorchDoes()
    {
        var discriminator = BeatGanPyTorch.LoadDiscriminator(PyTorchFile("discriminator_pt_base64"), Fixture);
        Assert.False(discriminator.training);
        using var noGrad = no_grad();
        var x = Input();
        // The authors' classifier ends in a Sigmoid that has no tensors; ours returns the logit.
        Tolerance.AssertCloseAtScale(Expected("probability"), Values(discriminator.Probability(x)), 1e-5, "D(x)");
        Tolerance.AssertCloseAtScale(Expected("features"), Values(discriminator.ForwardFeatures(x).Features[^1]), 1e-5, "last features");
    }

    [Theory]
    [InlineData("generator")]
    [InlineData("discriminator")]
    public void SavedFileHasTheAuthorsKeysAndRoundTripsBitExactly(string network)
    {
        var (original, layout) = Build(network, Fixture);
        original.LoadPyTorch(PyTorchFile(network + "_pt_base64"), layout);
        string saved = Path.Combine(folder, network + ".pt");
        original.SavePyTorch(saved, layout);

        var authorsKeys = Reference.GetProperty(network + "_keys").EnumerateArray().Select(pair => pair[0].GetString()).Order();
        var written = PyTorchStateDict.Read(saved);
        Assert.Equal(authorsKeys, written.Keys.Order());

        var (copy, copyLayout) = Build(network, Fixture);
        var expected = original.state_dict();
        var runningVar = expected.Keys.First(key => key.EndsWith(".running_var", StringComparison.Ordinal));
        Assert.False(SameBits(copy.state_dict()[runningVar], expected[runningVar])); // a fresh network differs before loading
        copy.LoadPyTorch(saved, copyLayout);
        foreach (var (key, tensor) in copy.state_dict())
            Assert.True(SameBits(tensor, expected[key]), $"{key} changed in the round trip");
        Assert.Contains(copy.state_dict(), kv => kv.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal) && kv.Value.item<long>() > 0);

        if (Environment.GetEnvironmentVariable(ExportVariable) is { Length: > 0 } export)
            File.Copy(saved, Path.Combine(Directory.CreateDirectory(export).FullName, network + ".pt"), overwrite: true);
    }

    [Fact]
    public void WrongWidthsListEveryMisShapedKey()
    {
        string path = PyTorchFile("generator_pt_base64");
        var error = Assert.Throws<StateDictMismatchException>(() => BeatGanPyTorch.LoadGenerator(path, Fixture with { GeneratorWidth = 4 }));
        Assert.Contains("encoder1.main.0.weight: file [3, 1, 4] Float32, model [4, 1, 4] Float32", error.Mismatched);
        Assert.Contains("encoder1.main.3.running_mean: file [6] Float32, model [8] Float32", error.Mismatched);
        Assert.Contains("decoder.main.15.weight: file [3, 1, 4] Float32, model [4, 1, 4] Float32", error.Mismatched);
        Assert.Equal(Reference.GetProperty("generator_keys").EnumerateArray().Count(pair => pair[1].GetArrayLength() > 0), error.Mismatched.Count);
        Assert.Empty(error.Missing);
        Assert.Empty(error.Unexpected);
        Assert.Contains(path, error.Message);

        var latent = Assert.Throws<StateDictMismatchException>(() => BeatGanPyTorch.LoadGenerator(path, Fixture with { LatentSize = 50 }));
        Assert.Equal(["encoder1.main.14.weight: file [8, 48, 10] Float32, model [50, 48, 10] Float32",
                      "decoder.main.0.weight: file [8, 48, 10] Float32, model [50, 48, 10] Float32"], latent.Mismatched);
    }

    [Fact]
    public void AFileWithoutOneKeyNamesIt()
    {
        var tensors = PyTorchStateDict.Read(PyTorchFile("discriminator_pt_base64"));
        Assert.True(tensors.Remove("features.9.running_var"));
        string path = Path.Combine(folder, "incomplete.pt");
        PyTorchStateDict.Write(path, tensors);
        var error = Assert.Throws<StateDictMismatchException>(() => BeatGanPyTorch.LoadDiscriminator(path, Fixture));
        Assert.Equal(["features.9.running_var"], error.Missing);
        Assert.Empty(error.Unexpected);
        Assert.Empty(error.Mismatched);
        Assert.Contains("missing keys: features.9.running_var", error.Message);
    }

    [Fact]
    public void TheGeneratorFileIsRefusedAsADiscriminatorAndViceVersa()
    {
        var asDiscriminator = Assert.Throws<StateDictMismatchException>(
            () => BeatGanPyTorch.LoadDiscriminator(PyTorchFile("generator_pt_base64"), Fixture));
        Assert.Contains("saved from another network", asDiscriminator.Message);
        Assert.Contains("the file's top-level modules are decoder, encoder1, the model's are classifier, features", asDiscriminator.Message);

        var asGenerator = Assert.Throws<StateDictMismatchException>(
            () => BeatGanPyTorch.LoadGenerator(PyTorchFile("discriminator_pt_base64"), Fixture));
        Assert.Contains("the file's top-level modules are classifier, features, the model's are decoder, encoder1", asGenerator.Message);
    }

    [Fact]
    public void TheLegacyFormatOfTheAuthorsReleasedWeightsIsRefusedWithTheFix()
    {
        string path = PyTorchFile("discriminator_legacy_base64");
        var error = Assert.Throws<InvalidFileException>(() => BeatGanPyTorch.LoadDiscriminator(path, Fixture));
        Assert.Contains(path, error.Message);
        Assert.Contains("legacy serialization format", error.Message);
        Assert.Contains("torch.save(torch.load(old_path), new_path)", error.Message);
    }
}
