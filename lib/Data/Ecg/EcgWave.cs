namespace Distill.Data.Ecg;

/// <summary>One Gaussian event of McSharry's model: its angle on the limit cycle, amplitude and width.</summary>
/// <param name="Theta">Angle θ_i (radians) of the event; the R peak is at 0.</param>
/// <param name="A">Amplitude a_i of the event's Gaussian forcing.</param>
/// <param name="B">Width b_i (radians) of the event.</param>
public sealed record EcgWave(double Theta, double A, double B);

/// <summary>The P, Q, R, S and T events of one beat in McSharry's dynamical model.</summary>
/// <param name="P">Atrial depolarisation.</param>
/// <param name="Q">Start of the QRS complex.</param>
/// <param name="R">R peak (θ = 0).</param>
/// <param name="S">End of the QRS complex.</param>
/// <param name="T">Ventricular repolarisation.</param>
/// <remarks>
/// McSharry P.E., Clifford G.D., Tarassenko L., Smith L.A., "A dynamical model for generating synthetic
/// electrocardiogram signals", IEEE Trans. Biomedical Engineering 50(3):289-294, 2003, Table 1 gives
/// <see cref="Normal"/>. The ectopic morphologies are ours, chosen from the textbook criteria the labels stand for.
/// </remarks>
public sealed record BeatMorphology(EcgWave P, EcgWave Q, EcgWave R, EcgWave S, EcgWave T)
{
    /// <summary>The five events in order.</summary>
    public IReadOnlyList<EcgWave> Waves => [P, Q, R, S, T];

    /// <summary>Table 1 of McSharry et al. (2003): a normal sinus beat.</summary>
    public static BeatMorphology Normal { get; } = new(
        new EcgWave(-Math.PI / 3, 1.2, 0.25),
        new EcgWave(-Math.PI / 12, -5.0, 0.1),
        new EcgWave(0, 30.0, 0.1),
        new EcgWave(Math.PI / 12, -7.5, 0.1),
        new EcgWave(Math.PI / 2, 0.75, 0.4));

    /// <summary>Premature ventricular beat: no P wave, a QRS 2.5 times wider and taller, a T wave opposite to the QRS.</summary>
    public static BeatMorphology PrematureVentricular { get; } = new(
        new EcgWave(-Math.PI / 3, 0, 0.25),
        new EcgWave(-Math.PI / 8, -2.0, 0.25),
        new EcgWave(0, 8.0, 0.25),
        new EcgWave(Math.PI / 6, -4.0, 0.25),
        new EcgWave(Math.PI / 2, -0.6, 0.4));

    /// <summary>Atrial premature beat: an ectopic, inverted P wave closer to the QRS; normal QRS and T.</summary>
    public static BeatMorphology AtrialPremature { get; } = Normal with { P = new EcgWave(-Math.PI / 4, -1.6, 0.2) };

    /// <summary>This morphology with each wave's amplitude multiplied by the matching factor (P, Q, R, S, T).</summary>
    public BeatMorphology ScaleAmplitudes(double p, double q, double r, double s, double t) => new(
        P with { A = P.A * p }, Q with { A = Q.A * q }, R with { A = R.A * r }, S with { A = S.A * s }, T with { A = T.A * t });
}
