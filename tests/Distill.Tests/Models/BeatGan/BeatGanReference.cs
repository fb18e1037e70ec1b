using System.Text.Json;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Models.BeatGan;

/// <summary>The networks of tools/reference/beatgan.py, loaded from beatgan.json by state_dict name.</summary>
internal static class BeatGanReference
{
    private static readonly Lazy<JsonElement> Json = new(() => ReferenceData.Load("beatgan.json"));

    public static JsonElement Root => Json.Value;

    public static BeatGanOptions Options
    {
        get
        {
            var c = Root.GetProperty("config");
            return new BeatGanOptions(c.GetProperty("nc").GetInt32(), c.GetProperty("nz").GetInt32(),
                c.GetProperty("ngf").GetInt32(), c.GetProperty("ndf").GetInt32(), c.GetProperty("length").GetInt32());
        }
    }

    public static BeatGanGenerator Generator()
    {
        var g = new BeatGanGenerator(Options);
        Load(g, Root.GetProperty("generator_state"));
        return g;
    }

    public static BeatGanDiscriminator Discriminator()
    {
        var d = new BeatGanDiscriminator(Options);
        Load(d, Root.GetProperty("discriminator_state"));
        return d;
    }

    public static Tensor Beats(JsonElement values)
    {
        var flat = ReferenceData.Doubles(values);
        long perBeat = (long)Options.Channels * Options.SignalLength;
        return ReferenceData.Tensor(values, flat.Length / perBeat, Options.Channels, Options.SignalLength).to(DistillDevice.Current);
    }

    public static double[] Values(Tensor t) => t.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();

    /// <summary>Copies every tensor of PyTorch's state_dict into the module by name; both sides must have the same names.</summary>
    public static void Load(nn.Module module, JsonElement state)
    {
        var ours = module.state_dict();
        var theirs = state.EnumerateObject().Select(p => p.Name).ToHashSet();
        Assert.Equal(theirs.OrderBy(n => n, StringComparer.Ordinal), ours.Keys.OrderBy(n => n, StringComparer.Ordinal));
        using var _ = no_grad();
        foreach (var (name, tensor) in ours)
        {
            var values = ReferenceData.Tensor(state.GetProperty(name), tensor.shape);
            tensor.copy_(values.to(tensor.dtype).to(tensor.device));
        }
    }
}
