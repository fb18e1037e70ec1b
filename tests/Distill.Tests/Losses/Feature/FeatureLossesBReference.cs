using System.Text.Json;
using Distill.Distillation;
using Distill.Losses;
using Distill.Models;
using Distill.Runtime;
using Distill.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Feature;

/// <summary>Reads tests/Reference/feature_losses_b.json (written by tools/reference/feature_losses_b.py) and builds contexts.</summary>
/// <remarks>Reference inputs are float32 draws and PyTorch evaluates the losses in float64. The tests run each case twice:
/// in float64 at rel 1e-5 (the mathematics, free of rounding), and in float32, the precision the library trains in,
/// at rel 1e-4 with a small absolute floor, since float32 rounding and summation order legitimately differ from the
/// float64 reference (near-zero gradient entries need the floor).</remarks>
internal static class FeatureLossesBReference
{
    private static readonly Lazy<JsonElement> Root = new(() => ReferenceData.Load("feature_losses_b.json"));

    /// <summary>The reference case of a loss by name.</summary>
    public static JsonElement Case(string loss, string name)
        => Root.Value.GetProperty(loss).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    /// <summary>The dtype a reference case runs in.</summary>
    public static ScalarType Dtype(bool single) => single ? ScalarType.Float32 : ScalarType.Float64;

    /// <summary>Relative and absolute tolerance for a case run in float32 (<paramref name="single"/>) or float64; see remarks.</summary>
    public static (double Rel, double Abs) Tolerances(bool single) => single ? (1e-4, 1e-6) : (1e-5, 1e-7);

    /// <summary>A {shape, values} entry as a tensor of the given dtype (float64 by default) on the library's device.</summary>
    public static Tensor Tensor(JsonElement entry, bool requiresGrad = false, ScalarType dtype = ScalarType.Float64)
    {
        long[] shape = entry.GetProperty("shape").EnumerateArray().Select(v => v.GetInt64()).ToArray();
        var tensor = ReferenceData.Tensor(entry.GetProperty("values"), shape).to(dtype).to(DistillDevice.Current);
        return requiresGrad ? tensor.requires_grad_(true) : tensor;
    }

    /// <summary>Copies every exported parameter into the module (by C# parameter name); fails on any name missing on either side.</summary>
    public static void LoadParameters(nn.Module module, JsonElement parameters)
    {
        var ours = module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var theirs = parameters.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.True(ours.Keys.ToHashSet().SetEquals(theirs),
            $"parameter names differ: C# [{string.Join(", ", ours.Keys.Order())}] vs reference [{string.Join(", ", theirs.Order())}]");
        using (no_grad())
            foreach (var (name, parameter) in ours)
            {
                var value = Tensor(parameters.GetProperty(name));
                Assert.Equal(value.shape, parameter.shape);
                parameter.copy_(value);
            }
    }

    /// <summary>A context whose features and pre-activations are the given tensors (the losses here read one or the other).</summary>
    public static DistillationContext Context(IReadOnlyList<Tensor> student, IReadOnlyList<Tensor> teacher)
    {
        long batch = student[0].shape[0];
        var targets = zeros(batch, ScalarType.Int64, device: DistillDevice.Current);
        return new DistillationContext(
            new FeatureOutput(zeros(batch, 1, device: DistillDevice.Current), student, student),
            new FeatureOutput(zeros(teacher[0].shape[0], 1, device: DistillDevice.Current), teacher, teacher),
            targets);
    }

    /// <summary>One-pair form of <see cref="Context(IReadOnlyList{Tensor}, IReadOnlyList{Tensor})"/>.</summary>
    public static DistillationContext Context(Tensor student, Tensor teacher) => Context([student], [teacher]);

    /// <summary>Flattened values of a tensor as doubles.</summary>
    public static double[] Values(Tensor tensor) => tensor.detach().cpu().to(float64).data<double>().ToArray();

    /// <summary>Asserts a gradient exists and is not all zeros.</summary>
    public static void AssertNonZeroGradient(Tensor? gradient, string what)
    {
        Assert.True(gradient is not null, $"{what}: no gradient reached it");
        Assert.True(gradient!.abs().sum().to(float64).item<double>() > 0, $"{what}: gradient is all zeros");
    }

    /// <summary>Random float32 features on the library's device.</summary>
    public static Tensor RandomFeature(params long[] shape) => randn(shape, device: DistillDevice.Current);
}
