using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Reference;

/// <summary>Reads reference values that tools/reference/*.py computed with PyTorch 1.13 or scikit-learn.</summary>
/// <remarks>Tests never run Python: the generator scripts and their JSON output are both committed.</remarks>
public static class ReferenceData
{
    /// <summary>Parses tests/Reference/NAME (copied next to the test assembly).</summary>
    public static JsonElement Load(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Reference", fileName);
        using var stream = File.OpenRead(path);
        return JsonDocument.Parse(stream).RootElement.Clone();
    }

    /// <summary>A JSON array of numbers as doubles (nested arrays flattened in row-major order).</summary>
    public static double[] Doubles(JsonElement element)
    {
        var values = new List<double>();
        Flatten(element, values);
        return values.ToArray();
    }

    /// <summary>A JSON (nested) array as a float32 tensor of the given shape.</summary>
    public static Tensor Tensor(JsonElement element, params long[] shape)
        => torch.tensor(Doubles(element).Select(v => (float)v).ToArray(), shape);

    private static void Flatten(JsonElement element, List<double> into)
    {
        if (element.ValueKind == JsonValueKind.Array)
            foreach (var item in element.EnumerateArray()) Flatten(item, into);
        else
            into.Add(element.GetDouble());
    }
}
