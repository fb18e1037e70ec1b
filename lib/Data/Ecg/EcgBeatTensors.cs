using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Data.Ecg;

/// <summary>Turns segmented beats into tensors on the device the application gives (the CPU when it gives none).</summary>
public static class EcgBeatTensors
{
    /// <summary>
    /// Beat samples as a float32 tensor [N, leads, L]; <paramref name="leads"/> picks leads (all when empty;
    /// BeatGAN uses lead 0, MLII, only).
    /// </summary>
    /// <param name="beats">Beats of one length and lead count.</param>
    /// <param name="leads">Leads to keep, in this order; null or empty keeps all.</param>
    /// <param name="device">Where the tensor lives; null keeps TorchSharp's default, the CPU. The application chooses
    /// (<see cref="Distill.Runtime.DistillDevice"/>).</param>
    public static Tensor Signals(IReadOnlyList<EcgBeat> beats, IReadOnlyList<int>? leads = null, Device? device = null)
    {
        if (beats.Count == 0) throw new ArgumentException("No beats to stack; segment a record first.", nameof(beats));
        int length = beats[0].Length, available = beats[0].LeadCount;
        if (beats.Any(b => b.Length != length || b.LeadCount != available))
            throw new ArgumentException("Beats differ in length or lead count; segment them with the same options.", nameof(beats));
        int[] chosen = leads is null || leads.Count == 0 ? Enumerable.Range(0, available).ToArray() : leads.ToArray();
        foreach (int l in chosen)
            if (l < 0 || l >= available)
                throw new ArgumentOutOfRangeException(nameof(leads), l, $"The beats have {available} leads (0..{available - 1}).");

        var data = new float[beats.Count * chosen.Length * length];
        for (int b = 0; b < beats.Count; b++)
            for (int c = 0; c < chosen.Length; c++)
                beats[b].Lead(chosen[c]).CopyTo(data.AsSpan((b * chosen.Length + c) * length, length));
        return torch.tensor(data, [beats.Count, chosen.Length, length], device: device); // [N, C, L]
    }

    /// <summary>BeatGAN's anomaly labels as int64 [N] on <paramref name="device"/> (null: the CPU): 0 for AAMI N, 1 for S, V, F and Q.</summary>
    public static Tensor AnomalyLabels(IReadOnlyList<EcgBeat> beats, Device? device = null) =>
        torch.tensor(beats.Select(b => b.Class.IsAbnormal() ? 1L : 0L).ToArray(), device: device);
}
