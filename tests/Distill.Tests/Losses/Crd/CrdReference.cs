using System.Text.Json;
using Distill.Losses.Crd;
using Distill.Runtime;
using Distill.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Crd;

/// <summary>The inputs tools/reference/crd.py used, loaded into a CrdLoss of the same sizes.</summary>
internal sealed class CrdReference
{
    public JsonElement Root { get; } = ReferenceData.Load("crd.json");

    public long DataCount => Size("n_data");
    public int FeatureDim => (int)Size("feat_dim");
    public int K => (int)Size("k");
    public long Batch => Size("batch");
    public long StudentDim => Size("s_dim");
    public long TeacherDim => Size("t_dim");
    public JsonElement Initial => Root.GetProperty("initial");
    public JsonElement Step(int i) => Root.GetProperty("steps")[i];
    public JsonElement Shared => Root.GetProperty("shared");

    public CrdOptions Options(NegativeSampling sampling = NegativeSampling.PerRow, ZPolicy z = ZPolicy.FixedFromFirstBatch) => new(
        FeatureDim: FeatureDim, Negatives: K, Temperature: Root.GetProperty("temperature").GetDouble(),
        Momentum: Root.GetProperty("momentum").GetDouble(), Z: z, ZMomentum: Root.GetProperty("z_momentum").GetDouble(),
        NegativeSampling: sampling);

    /// <summary>Precision the loss runs in and inputs are loaded as (the reference computed in float64).</summary>
    public ScalarType DType { get; init; } = ScalarType.Float64;

    /// <summary>Relative tolerance against the float64 reference: 1e-5 in float64; in float32 the rounding of
    /// exp(v·m/0.07) and of the sums legitimately reaches a few 1e-5, so 1e-4.</summary>
    public double Rel => DType == ScalarType.Float64 ? 1e-5 : 1e-4;

    /// <summary>A CrdLoss with the reference's embedding weights and initial memory banks.</summary>
    public CrdLoss Build(NegativeSampling sampling = NegativeSampling.PerRow, ZPolicy z = ZPolicy.FixedFromFirstBatch)
    {
        var crd = new CrdLoss(StudentDim, TeacherDim, DataCount, Options(sampling, z), device: DistillDevice.Current);
        crd.to(DType);
        using (torch.no_grad())
        {
            Copy(crd.StudentEmbed, "embed_s");
            Copy(crd.TeacherEmbed, "embed_t");
            crd.Memory.StudentMemory.copy_(Floats(Initial.GetProperty("memory_student"), DataCount, FeatureDim));
            crd.Memory.TeacherMemory.copy_(Floats(Initial.GetProperty("memory_teacher"), DataCount, FeatureDim));
        }
        return crd;
    }

    public Tensor Floats(JsonElement element, params long[] shape) => ReferenceData.Tensor(element, shape).to(DType).to(DistillDevice.Current);

    public Tensor Longs(JsonElement element, params long[] shape)
        => torch.tensor(ReferenceData.Doubles(element).Select(v => (long)v).ToArray(), shape, device: DistillDevice.Current);

    /// <summary>The reference's [B, K+1] contrast indices of a step, split into positives and per-row negatives.</summary>
    public ContrastIndices ContrastRows(int step) => ContrastIndices.FromReferenceLayout(Longs(Step(step).GetProperty("contrast_idx"), Batch, K + 1));

    public static double[] Values(Tensor t) => t.detach().cpu().to(ScalarType.Float64).data<double>().ToArray();

    private void Copy(Embed embed, string prefix)
    {
        var parameters = embed.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        parameters["linear.weight"].copy_(Floats(Initial.GetProperty($"{prefix}_weight"), FeatureDim, prefix == "embed_s" ? StudentDim : TeacherDim));
        parameters["linear.bias"].copy_(Floats(Initial.GetProperty($"{prefix}_bias"), FeatureDim));
    }

    private long Size(string name) => Root.GetProperty("sizes").GetProperty(name).GetInt64();
}
