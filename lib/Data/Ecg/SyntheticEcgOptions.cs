namespace Distill.Data.Ecg;

/// <summary>Settings of the synthetic ECG; defaults follow McSharry et al. (2003) and its ECGSYN program.</summary>
/// <param name="DurationSeconds">Length of the record.</param>
/// <param name="SamplingFrequency">Output rate (360 Hz, MIT-BIH's, so beats segment like real ones).</param>
/// <param name="MeanHeartRate">Mean heart rate in beats per minute (60).</param>
/// <param name="HeartRateStd">Standard deviation of the heart rate in beats per minute (1).</param>
/// <param name="LfHfRatio">Ratio of the Mayer-wave (LF) to respiratory (HF) power of the RR tachogram (0.5).</param>
/// <param name="MayerFrequency">Centre f1 of the LF peak in Hz (0.1); width c1 = <paramref name="SpectralWidth"/>.</param>
/// <param name="RespiratoryFrequency">Centre f2 of the HF peak in Hz (0.25); also the baseline wander's frequency.</param>
/// <param name="SpectralWidth">Standard deviations c1 = c2 of both spectral peaks in Hz (0.01).</param>
/// <param name="BaselineWander">Amplitude A of the respiratory baseline z0 = A sin(2π f2 t), in mV (0.15).</param>
/// <param name="MuscleNoise">Standard deviation of the additive muscle (EMG) noise in mV (0.02; 0 for a clean signal).</param>
/// <param name="PrematureVentricularRate">Probability that a beat is a premature ventricular contraction (label V).</param>
/// <param name="AtrialPrematureRate">Probability that a beat is an atrial premature beat (label A).</param>
/// <param name="Seed">Seed of the rhythm (RR intervals, labels) and, separately, of the noise.</param>
public sealed record SyntheticEcgOptions(
    double DurationSeconds = 300,
    double SamplingFrequency = 360,
    double MeanHeartRate = 60,
    double HeartRateStd = 1,
    double LfHfRatio = 0.5,
    double MayerFrequency = 0.1,
    double RespiratoryFrequency = 0.25,
    double SpectralWidth = 0.01,
    double BaselineWander = 0.15,
    double MuscleNoise = 0.02,
    double PrematureVentricularRate = 0.05,
    double AtrialPrematureRate = 0.05,
    int Seed = 0)
{
    /// <summary>Coupling interval of a premature ventricular beat as a fraction of the current sinus RR interval.</summary>
    public double VentricularCoupling { get; init; } = 0.6;

    /// <summary>Coupling interval of an atrial premature beat as a fraction of the current sinus RR interval.</summary>
    public double AtrialCoupling { get; init; } = 0.7;
}
