using System.Text.Json;
using Distill.Distillation;
using Distill.Losses;
using Distill.Models;
using Distill.Runtime;
using Distill.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Feature;

/// <summary>Shared plumbing for the FitNet, AT, OFD, SP, RKD and PKT tests: reference cases, contexts, gradient and error checks.</summary>
internal static class FeatureLossesA
{
    private static readonly Lazy<JsonElement> Cases =
        new(() => ReferenceData.Load("feature_losses_a.json").GetProperty("cases"));

    /// <summary>One case of tools/reference/feature_losses_a.py: "flat" ([B, C]), "seq" ([B, C, L]) or "at_lengths".</summary>
    public static JsonElement Case(string name) => Cases.Value.GetProperty(name);

    /// <summary>A nested JSON array as a float32 tensor on the library's device, its shape read from the nesting.</summary>
    public static Tensor Load(JsonElement element, bool requiresGrad = false)
    {
        var shape = new List<long>();
        for (JsonElement e = element; e.ValueKind == JsonValueKind.Array; e = e[0])
        {
            shape.Add(e.GetArrayLength());
            if (e.GetArrayLength() == 0) break;
        }
        Tensor tensor = ReferenceData.Tensor(element, shape.ToArray()).to(DistillDevice.Current);
        return requiresGrad ? tensor.requires_grad_(true) : tensor;
    }

    /// <summary>A context whose features (and, unless given, pre-activations) are the given tensors.</summary>
    public static DistillationContext Context(IReadOnlyList<Tensor> student, IReadOnlyList<Tensor> teacher,
        IReadOnlyList<Tensor>? studentPre = null, IReadOnlyList<Tensor>? teacherPre = null)
    {
        Tensor dummy = zeros(student[0].shape[0], 2, device: DistillDevice.Current);
        return new DistillationContext(
            new FeatureOutput(dummy, student, studentPre ?? student),
            new FeatureOutput(dummy, teacher, teacherPre ?? teacher),
            zeros(student[0].shape[0], dtype: int64, device: DistillDevice.Current));
    }

    /// <summary>A single-pair context.</summary>
    public static DistillationContext Context(Tensor student, Tensor teacher) => Context([student], [teacher]);

    /// <summary>A tensor's values as doubles, row-major.</summary>
    public static double[] Values(Tensor tensor) => tensor.detach().cpu().to(float64).data<double>().ToArray();

    /// <summary>The loss as a double.</summary>
    public static double Scalar(Tensor loss)
    {
        Assert.Equal(0, loss.dim());
        return loss.detach().cpu().to(float64).item<double>();
    }

    /// <summary>Backpropagates the loss and checks that the student's feature receives a non-zero gradient and the teacher's none.</summary>
    public static void AssertGradientReachesOnlyStudent(DistillationLoss loss, Tensor student, Tensor teacher)
    {
        student = student.detach().clone().requires_grad_(true);
        teacher = teacher.detach().clone().requires_grad_(true);
        loss.Compute(Context(student, teacher)).backward();
        Assert.NotNull(student.grad);
        Assert.True(student.grad!.abs().sum().item<float>() > 0, $"{loss.Name}: the student's feature received a zero gradient.");
        Assert.True(teacher.grad is null, $"{loss.Name}: gradient reached the teacher's feature; the teacher must be detached.");
    }

    /// <summary>Checks the three input errors every feature loss reports: batch mismatch, wrong rank, NaN.</summary>
    public static void AssertRejectsBadInput(DistillationLoss loss, string display, Tensor student, Tensor teacher)
    {
        var batch = Assert.Throws<ArgumentException>(() => loss.Compute(Context(student, teacher[TensorIndex.Slice(0, 3)])));
        Assert.Contains(display, batch.Message);
        Assert.Contains($"batch sizes differ ({student.shape[0]} vs 3)", batch.Message);

        var rank = Assert.Throws<ArgumentException>(() => loss.Compute(Context(student.reshape(-1), teacher)));
        Assert.Contains(display, rank.Message);
        Assert.Contains("[B, C] (dense layers) or [B, C, L]", rank.Message);

        Tensor poisoned = student.clone();
        poisoned[0, 0].fill_(float.NaN);
        var nan = Assert.Throws<ArgumentException>(() => loss.Compute(Context(poisoned, teacher)));
        Assert.Contains(display, nan.Message);
        Assert.Contains("NaN", nan.Message);
    }
}
