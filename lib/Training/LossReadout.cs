using static TorchSharp.torch;

namespace Distill.Training;

/// <summary>Reads a step's scalar losses to the host in one device-to-host transfer instead of one <c>item()</c> each.</summary>
/// <remarks>Each value is read as float32, as <c>item&lt;float&gt;()</c> would, so the figures are the same bit for bit.
/// On a GPU every <c>item()</c> waits for the device; a step then waits once.</remarks>
internal static class LossReadout
{
    /// <summary>The values of one-element tensors, in order.</summary>
    public static double[] Read(params Tensor[] scalars)
    {
        using var scope = NewDisposeScope();
        var joined = stack(scalars.Select(s => s.detach().reshape(1).to(ScalarType.Float32)).ToArray()).cpu(); // [n, 1]
        return joined.data<float>().ToArray().Select(v => (double)v).ToArray();
    }
}
