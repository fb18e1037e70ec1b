namespace Distill.Data.Ecg;

/// <summary>Synthetic two-lead ECG from McSharry's dynamical model, with labelled premature beats.</summary>
/// <remarks>
/// McSharry P.E., Clifford G.D., Tarassenko L., Smith L.A., "A dynamical model for generating synthetic
/// electrocardiogram signals", IEEE Trans. Biomedical Engineering 50(3):289-294, 2003. The state (x, y, z) moves
/// on the limit cycle x² + y² = 1 with angular velocity ω = 2π / RR (eq. 3, first two lines), and
/// ż = -Σ_i a_i Δθ_i exp(-Δθ_i² / 2b_i²) - (z - z0) with Δθ_i = (θ - θ_i) mod 2π (eq. 3, third line).
/// Started on the limit cycle the trajectory stays on it, so θ(t) is integrated in closed form (each R-to-R interval
/// is one revolution at constant ω, putting every R peak, θ = 0, exactly at its annotated time) and z by RK4 at four
/// times the output rate. The RR intervals come from <see cref="RrTachogram"/> (HRV).
/// Deviations, all so that beats can carry labels: (1) each beat has its own P, Q, R, S, T parameters, active from
/// θ = -π before its R peak to θ = π after it; (2) the Gaussian forcing is multiplied by ω / ω̄ (ω̄ at the mean heart
/// rate), which makes a wave's amplitude independent of the instantaneous RR interval; at constant heart rate this is
/// eq. (3) exactly; (3) z is scaled so the first lead spans 1.6 mV peak to peak with z = 0 at 0 mV (ECGSYN maps it to
/// [-0.4, 1.2] mV), and the baseline wander z0 = A sin(2π f2 t) is added in mV through the same relaxation term;
/// (4) muscle noise is Gaussian white noise (ECGSYN adds uniform noise); (5) the second lead shares the phase and
/// scales the wave amplitudes, as multi-lead extensions of the model do.
/// Premature ventricular beats (V) come after a coupling interval of 0.6 RR, have no P wave, a wide QRS and a
/// discordant T, and are followed by a full compensatory pause (coupling + pause = 2 RR). Atrial premature beats (A)
/// come after 0.7 RR with an inverted ectopic P wave and a normal QRS, and reset the sinus rhythm (the next interval
/// is an ordinary RR).
/// </remarks>
public static class SyntheticEcg
{
    private const int Oversampling = 4;

    /// <summary>Lead names of the generated record.</summary>
    public static IReadOnlyList<string> LeadNames { get; } = ["ECG1", "ECG2"];

    /// <summary>Generates a record with beat annotations (N, V, A) at the R peaks.</summary>
    public static EcgRecord Generate(SyntheticEcgOptions? options = null)
    {
        options ??= new SyntheticEcgOptions();
        Validate(options);
        var rhythm = new Random(options.Seed);
        var noise = new Random(unchecked(options.Seed * 7919 + 104729));
        double fs = options.SamplingFrequency;
        int length = (int)Math.Round(options.DurationSeconds * fs);
        var beats = Beats(options, new RrTachogram(options, options.DurationSeconds + 10, rhythm), rhythm);

        double meanOmega = 2 * Math.PI * options.MeanHeartRate / 60;
        var leads = Integrate(beats, LeadNames.Count, meanOmega, length, fs);
        double scale = 1.6 / (leads[0].Max() - leads[0].Min());
        double[] wander = Wander(options, length);

        var millivolts = leads.Select(z =>
        {
            var mv = new float[length];
            for (int i = 0; i < length; i++) mv[i] = (float)(z[i] * scale + wander[i] + options.MuscleNoise * Gaussian(noise));
            return mv;
        }).ToList();
        var annotations = beats
            .Where(b => b.Time >= 0 && Math.Round(b.Time * fs) < length)
            .Select(b => new MitAnnotation((long)Math.Round(b.Time * fs), MitAnnotationCodes.Code(b.Label), b.Label, 0, 0, 0, ""))
            .ToList();
        return new EcgRecord($"mcsharry-{options.Seed}", fs, LeadNames, millivolts, annotations);
    }

    private sealed record Beat(double Time, string Label);

    private static void Validate(SyntheticEcgOptions o)
    {
        if (!(o.DurationSeconds > 0 && o.SamplingFrequency > 0))
            throw new ArgumentOutOfRangeException(nameof(o), "Duration and sampling frequency must be positive.");
        if (!(o.BaselineWander >= 0 && o.MuscleNoise >= 0))
            throw new ArgumentOutOfRangeException(nameof(o), "Noise amplitudes must be non-negative.");
        if (!(o.PrematureVentricularRate >= 0 && o.AtrialPrematureRate >= 0 && o.PrematureVentricularRate + o.AtrialPrematureRate <= 1))
            throw new ArgumentOutOfRangeException(nameof(o), "Premature beat rates must be non-negative and sum to at most 1.");
        if (!(o.VentricularCoupling is > 0.3 and < 1 && o.AtrialCoupling is > 0.3 and < 1))
            throw new ArgumentOutOfRangeException(nameof(o), "Coupling intervals must lie in (0.3, 1) of the RR interval.");
    }

    // R-peak times with labels; the first is a virtual beat before t = 0 that starts the phase.
    private static List<Beat> Beats(SyntheticEcgOptions o, RrTachogram tachogram, Random random)
    {
        var beats = new List<Beat> { new(-0.5 * tachogram.At(0), "N") };
        double? forced = null;
        while (beats[^1].Time < o.DurationSeconds + 2)
        {
            var previous = beats[^1];
            double rr = tachogram.At(previous.Time);
            double u = random.NextDouble();
            bool free = forced is null && previous.Label == "N" && beats.Count >= 2;
            (double interval, string label, double? next) = forced is double f
                ? (f, "N", null)
                : free && u < o.PrematureVentricularRate
                    ? (o.VentricularCoupling * rr, "V", (2 - o.VentricularCoupling) * rr)
                    : free && u < o.PrematureVentricularRate + o.AtrialPrematureRate
                        ? (o.AtrialCoupling * rr, "A", rr)
                        : (rr, "N", (double?)null);
            forced = next;
            beats.Add(new Beat(previous.Time + interval, label));
        }
        return beats;
    }

    private static BeatMorphology Morphology(string label, int lead)
    {
        var first = label switch
        {
            "N" => BeatMorphology.Normal,
            "V" => BeatMorphology.PrematureVentricular,
            "A" => BeatMorphology.AtrialPremature,
            _ => throw new ArgumentOutOfRangeException(nameof(label), label, "The generator makes N, V and A beats only."),
        };
        // The second lead sees a smaller R, deeper S and taller T (a precordial-like projection).
        return lead == 0 ? first : first.ScaleAmplitudes(0.8, 1.5, 0.6, 1.8, 1.3);
    }

    // RK4 of ż = (ω/ω̄) Σ forcing - z with z0 = 0 (the wander is added separately, the equation being linear),
    // for every lead at once: the leads share the phase θ(t).
    private static double[][] Integrate(List<Beat> beats, int leadCount, double meanOmega, int length, double fs)
    {
        var morph = beats.Select(b => Enumerable.Range(0, leadCount).Select(l => Morphology(b.Label, l).Waves.ToArray()).ToArray()).ToArray();
        double h = 1.0 / (fs * Oversampling);
        var z = Enumerable.Range(0, leadCount).Select(_ => new double[length]).ToArray();
        var state = new double[leadCount];
        double[] fNow = new double[leadCount], fMid = new double[leadCount], fEnd = new double[leadCount];
        int segment = 1; // beats[segment - 1].Time <= t < beats[segment].Time
        void Forcing(double t, double[] into)
        {
            while (t >= beats[segment].Time) segment++;
            double start = beats[segment - 1].Time, rr = beats[segment].Time - start;
            double theta = 2 * Math.PI * (t - start) / rr;
            // First half of the revolution: after beat segment-1's R peak; second half: before beat segment's.
            var waves = theta < Math.PI ? morph[segment - 1] : morph[segment];
            for (int l = 0; l < into.Length; l++)
            {
                double sum = 0;
                foreach (var w in waves[l])
                {
                    if (w.A == 0) continue;
                    double d = Math.IEEERemainder(theta - w.Theta, 2 * Math.PI); // in [-π, π]
                    sum += w.A * d * Math.Exp(-d * d / (2 * w.B * w.B));
                }
                into[l] = -(2 * Math.PI / rr) / meanOmega * sum;
            }
        }

        Forcing(0, fNow);
        for (int i = 0; i < length; i++)
        {
            for (int l = 0; l < leadCount; l++) z[l][i] = state[l];
            for (int s = 0; s < Oversampling; s++)
            {
                double t = (i * Oversampling + s) * h;
                Forcing(t + h / 2, fMid);
                Forcing(t + h, fEnd);
                for (int l = 0; l < leadCount; l++)
                {
                    double k1 = fNow[l] - state[l];
                    double k2 = fMid[l] - (state[l] + h / 2 * k1);
                    double k3 = fMid[l] - (state[l] + h / 2 * k2);
                    double k4 = fEnd[l] - (state[l] + h * k3);
                    state[l] += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
                }
                (fNow, fEnd) = (fEnd, fNow);
            }
        }
        return z;
    }

    // ż_w = -(z_w - A sin(2π f2 t)), exactly: the driven first-order response from z_w(0) = 0.
    private static double[] Wander(SyntheticEcgOptions o, int length)
    {
        double w = 2 * Math.PI * o.RespiratoryFrequency, a = o.BaselineWander / (1 + w * w);
        var result = new double[length];
        for (int i = 0; i < length; i++)
        {
            double t = i / o.SamplingFrequency;
            result[i] = a * (Math.Sin(w * t) - w * Math.Cos(w * t) + w * Math.Exp(-t));
        }
        return result;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
