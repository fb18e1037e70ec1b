using static TorchSharp.torch;

namespace Distill.Tests.Training.BeatGan;

/// <summary>Beat-like test signals: P wave, QRS spike and T wave as Gaussian bumps, scaled to [-1, 1] like BeatGAN's beats.</summary>
internal static class SyntheticBeats
{
    /// <summary>Normal beats [n, 1, 320]: narrow QRS at sample 140, upright T wave, small jitter and noise.</summary>
    public static Tensor Normal(int n, int seed) => Make(n, seed, qrsWidth: 4, tSign: 1);

    /// <summary>Abnormal beats [n, 1, 320]: wide QRS and inverted T wave (a ventricular-like morphology).</summary>
    public static Tensor Abnormal(int n, int seed) => Make(n, seed, qrsWidth: 14, tSign: -1);

    /// <summary>ROC AUC by counting pairs (Mann-Whitney), ties counted half; independent of the library's metrics.</summary>
    public static double Auc(double[] scores, int[] labels)
    {
        double pairs = 0, wins = 0;
        for (int i = 0; i < scores.Length; i++)
            for (int j = 0; j < scores.Length; j++)
                if (labels[i] == 1 && labels[j] == 0)
                {
                    pairs++;
                    wins += scores[i] > scores[j] ? 1 : scores[i] == scores[j] ? 0.5 : 0;
                }
        return wins / pairs;
    }

    private static Tensor Make(int n, int seed, double qrsWidth, int tSign)
    {
        var random = new Random(seed);
        var values = new float[n * 320];
        for (int b = 0; b < n; b++)
        {
            double shift = random.NextDouble() * 6 - 3, amplitude = 0.8 + 0.4 * random.NextDouble();
            var beat = new double[320];
            for (int t = 0; t < 320; t++)
                beat[t] = 0.15 * Bump(t, 90 + shift, 10) + amplitude * Bump(t, 140 + shift, qrsWidth)
                          + tSign * 0.3 * Bump(t, 220 + shift, 18) + 0.02 * (random.NextDouble() - 0.5);
            double min = beat.Min(), max = beat.Max();
            for (int t = 0; t < 320; t++) values[b * 320 + t] = (float)(2 * (beat[t] - min) / (max - min) - 1);
        }
        return tensor(values, new long[] { n, 1, 320 });
    }

    private static double Bump(double t, double centre, double width) => Math.Exp(-0.5 * Math.Pow((t - centre) / width, 2));
}
