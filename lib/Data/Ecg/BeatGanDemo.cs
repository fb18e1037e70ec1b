using Distill.Data.Npy;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Data.Ecg;

/// <summary>The 128 MIT-BIH beats the BeatGAN authors ship as a demo (embedded under <c>data/beatgan-demo</c>).</summary>
/// <remarks>
/// Zhou B. et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019.
/// Each file holds float64 [64, 2, 320] windows [R - 140, R + 180) at 360 Hz. As stored they are band-pass filtered
/// signals in mV, not yet scaled (values reach about +-2.7): the authors' loader min-max scales every beat and lead
/// to [-1, 1] when it reads them, which <see cref="ToScaledTensor"/> reproduces.
/// </remarks>
public static class BeatGanDemo
{
    /// <summary>The 64 normal beats as stored, [64, 2, 320].</summary>
    public static NpyArray Normal() => NpyReader.Read(ProjectData.File("beatgan-demo", "normal_samples.npy"));

    /// <summary>The 64 abnormal beats as stored, [64, 2, 320].</summary>
    public static NpyArray Abnormal() => NpyReader.Read(ProjectData.File("beatgan-demo", "abnormal_samples.npy"));

    /// <summary>Windows [N, leads, L] scaled per beat and lead to [-1, 1], as float32 on <paramref name="device"/>.</summary>
    /// <param name="windows">The beat windows as stored.</param>
    /// <param name="device">Where the tensor lives; null keeps TorchSharp's default, the CPU. The application chooses
    /// (<see cref="Distill.Runtime.DistillDevice"/>).</param>
    public static Tensor ToScaledTensor(NpyArray windows, Device? device = null)
    {
        if (windows.Shape.Length != 3)
            throw new ArgumentException($"Expected beat windows [N, leads, L], got shape ({string.Join(", ", windows.Shape)}).", nameof(windows));
        int length = windows.Shape[2];
        // Rounded to float32 before scaling, as this loader always has, so that demo results stay as they were.
        var data = windows.Data.Select(v => (double)(float)v).ToArray();
        var scaled = new float[data.Length];
        for (int offset = 0; offset < data.Length; offset += length)
            if (!BeatScaling.MinMaxToUnitRange(data.AsSpan(offset, length), scaled.AsSpan(offset, length)))
                throw new ArgumentException($"Window {offset / length} (beat {offset / length / windows.Shape[1]}) is constant and cannot be scaled.", nameof(windows));
        return torch.tensor(scaled, windows.Shape.Select(d => (long)d).ToArray(), device: device); // [N, C, L]
    }
}
