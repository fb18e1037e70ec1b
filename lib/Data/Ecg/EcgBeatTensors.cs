using Distill.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Data.Ecg;

/// <summary>Turns segmented beats into tensors on <see cref="DistillDevice.Current"/>.</summary>
public static class EcgBeatTensors
{
    /// <summary>
    /// Beat samples as a float32 tensor [N, leads, L]; <paramref name="leads"/> picks leads (all when empty;
    /// BeatGAN uses lead 0, MLII, only).
    /// </summary>
    public static Tensor Signals(IReadOnlyList<EcgBeat> beats, params int[] leads)
    {
        if (beats.Count == 0) throw new ArgumentException("No beats to stack; segment a record first.", nameof(beats));
        int length = beats[0].Length, available = beats[0].LeadCount;
        if (beats.Any(b => b.Length != length || b.LeadCount != available))
            throw new ArgumentException("Beats differ in length or lead count; segment them with the same options.", nameof(beats));
        int[] chosen = leads.Length == 0 ? Enumerable.Range(0, available).ToArray() : leads;
        foreach (int l in chosen)
            if (l < 0 || l >= available)
                throw new ArgumentOutOfRangeException(nameof(leads), l, $"The beats have {available} leads (0..{available - 1}).");

        var data = new float[beats.Count * chosen.Length * length];
        for (int b = 0; b < beats.Count; b++)
            for (int c = 0; c < chosen.Length; c++)
                beats[b].Lead(chosen[c]).CopyTo(data.AsSpan((b * chosen.Length + c) * length, length));
        return torch.tensor(data, [beats.Count, chosen.Length, length], device: DistillDevice.Current); // [N, C, L]
    }

    /// <summary>BeatGAN's anomaly labels as int64 [N]: 0 for AAMI N, 1 for S, V, F and Q.</summary>
    public static Tensor AnomalyLabels(IReadOnlyList<EcgBeat> beats) =>
        torch.tensor(beats.Select(b => b.Class.IsAbnormal() ? 1L : 0L).ToArray(), device: DistillDevice.Current);
}
