using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Data.Npy;

/// <summary>An n-dimensional array read from a NumPy <c>.npy</c> file, values widened to double, C (row-major) order.</summary>
/// <param name="Shape">Dimensions, outermost first (empty for a scalar).</param>
/// <param name="DType">The file's dtype descriptor, e.g. <c>&lt;f8</c>.</param>
/// <param name="Data">Values in C order; length is the product of <paramref name="Shape"/>.</param>
public sealed record NpyArray(int[] Shape, string DType, double[] Data)
{
    /// <summary>The values as a float32 tensor of <see cref="Shape"/> on <paramref name="device"/>.</summary>
    /// <param name="device">Where the tensor lives; null keeps TorchSharp's default, the CPU. The application chooses
    /// (<see cref="Distill.Runtime.DistillDevice"/>).</param>
    public Tensor ToTensor(Device? device = null) =>
        torch.tensor(Data.Select(v => (float)v).ToArray(), Shape.Select(d => (long)d).ToArray(), device: device);
}
