using System.Text.Json;
using Distill.Distillation;
using Distill.Losses;
using Distill.Models;
using Distill.Runtime;
using Distill.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Logit;

/// <summary>Reference cases from tools/reference/logit_losses.py and helpers to run a loss on logits alone.</summary>
internal static class LogitCases
{
    public static readonly JsonElement Json = ReferenceData.Load("logit_losses.json");

    public static JsonElement Case(string family, int index) => Json.GetProperty(family)[index];

    /// <summary>A float64 tensor on the library device; the reference is float64, so rel 1e-5 leaves no room for excuses.</summary>
    public static Tensor Float64(JsonElement element, params long[] shape)
        => tensor(ReferenceData.Doubles(element), shape, ScalarType.Float64, DistillDevice.Current);

    public static Tensor Labels(JsonElement element)
        => tensor(ReferenceData.Doubles(element).Select(v => (long)v).ToArray(), device: DistillDevice.Current);

    public static DistillationContext Context(Tensor student, Tensor teacher, Tensor? targets = null)
        => new(new FeatureOutput(student, [], []), new FeatureOutput(teacher, [], []),
               targets ?? zeros(student.shape[0], ScalarType.Int64, DistillDevice.Current));

    /// <summary>Loss value and its gradient with respect to the student logits (a fresh leaf).</summary>
    public static (double Loss, double[] Grad) ValueAndGrad(DistillationLoss loss, Tensor student, Tensor teacher, Tensor? targets = null)
    {
        var leaf = student.detach().clone().requires_grad_(true);
        var value = loss.Compute(Context(leaf, teacher, targets));
        value.backward();
        return (value.item<double>(), leaf.grad!.cpu().data<double>().ToArray());
    }

    public static Tensor Random(int seed, params long[] shape)
    {
        using var generator = new torch.Generator((ulong)seed);
        return (randn(shape, ScalarType.Float64, generator: generator) * 3.0).to(DistillDevice.Current);
    }

    public static double[] Values(Tensor t) => t.detach().cpu().to(ScalarType.Float64).data<double>().ToArray();
}
