namespace Distill.Data.Ecg;

/// <summary>The five AAMI heartbeat classes (ANSI/AAMI EC57) that BeatGAN groups MIT-BIH beats into.</summary>
public enum AamiClass
{
    /// <summary>Normal and bundle branch block beats: N, L, R.</summary>
    N,
    /// <summary>Supraventricular ectopic beats: a, J, A, S, j, e.</summary>
    S,
    /// <summary>Ventricular ectopic beats: V, E.</summary>
    V,
    /// <summary>Fusion of ventricular and normal beats: F.</summary>
    F,
    /// <summary>Paced, fusion of paced and normal, and unclassifiable beats: /, f, Q.</summary>
    Q,
}

/// <summary>Maps MIT-BIH beat annotation symbols to AAMI classes exactly as BeatGAN's preprocessing does.</summary>
/// <remarks>
/// Zhou B. et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019,
/// Section 4.1 and the authors' preprocessing script: N = {N, L, R}, S = {a, J, A, S, j, e}, V = {V, E}, F = {F},
/// Q = {/, f, Q}. Other annotations (rhythm changes '+', noise '~', atrial/nodal escape 'B', 'n', ...) are not beats
/// for this purpose and are skipped.
/// </remarks>
public static class AamiClasses
{
    /// <summary>The AAMI class of a beat symbol, or null when the annotation is not one of BeatGAN's beat types.</summary>
    public static AamiClass? Of(string symbol) => symbol switch
    {
        "N" or "L" or "R" => AamiClass.N,
        "a" or "J" or "A" or "S" or "j" or "e" => AamiClass.S,
        "V" or "E" => AamiClass.V,
        "F" => AamiClass.F,
        "/" or "f" or "Q" => AamiClass.Q,
        _ => null,
    };

    /// <summary>Whether the class counts as an anomaly in BeatGAN (every class but N).</summary>
    public static bool IsAbnormal(this AamiClass c) => c != AamiClass.N;
}
