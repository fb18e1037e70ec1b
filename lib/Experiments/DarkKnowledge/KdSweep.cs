using System.Globalization;
using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Losses;
using Distill.Models;
using Distill.Training;

namespace Distill.Experiments.DarkKnowledge;

/// <summary>The setting a KD sweep varies: Hinton et al.'s temperature, or the weight of the soft targets.</summary>
public enum KdKnob
{
    /// <summary>The softmax temperature T of the soft targets (the weight held fixed).</summary>
    Temperature,

    /// <summary>The weight λ of the soft-target term next to the hard-label loss at weight 1 (T held fixed); 0 is the
    /// labels-only student.</summary>
    SoftWeight,
}

/// <summary>One student of a sweep: which knob had which value, its seed and its test accuracy.</summary>
public sealed record KdSweepRun(KdKnob Knob, double Value, int Seed, double Accuracy);

/// <summary>Progress of a sweep: students done of all, the last one, the time left.</summary>
public sealed record KdSweepProgress(int Done, int Total, KdSweepRun Last, ProgressClock Clock)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"[{Done}/{Total}] {Last.Knob} = {Last.Value:G4}, seed {Last.Seed}: test accuracy {Last.Accuracy:F4}; " +
        $"ETA {(Clock.Remaining is { } left ? ProgressClock.Duration(left) : "?")}");
}

/// <summary>Students distilled with <c>L = CE(y, softmax(z_s)) + λ T² KL(softmax(z_t/T) ‖ softmax(z_s/T))</c> at several
/// temperatures and several weights λ, over seeds: the accuracy-against-T and against-λ curves of notebook 02.</summary>
/// <remarks>Hinton, Vinyals &amp; Dean, "Distilling the Knowledge in a Neural Network", NIPS Deep Learning Workshop 2015,
/// Eq. 1 (softmax with temperature) and Section 2 (the weighted average of the soft and the hard objective, the soft one
/// multiplied by T² so that its gradients keep their scale as T changes). The paper weighs the hard objective
/// "considerably lower"; here it keeps weight 1 and λ is the soft term's weight, as in the library's
/// <see cref="Distiller"/>.</remarks>
public static class KdSweep
{
    /// <summary>Trains one student per value of each knob and seed: the temperatures at weight
    /// <paramref name="fixedWeight"/>, then the weights at temperature <paramref name="fixedTemperature"/>.</summary>
    /// <exception cref="ArgumentException">No temperature, weight or seed; a temperature not positive; a negative weight.</exception>
    public static IReadOnlyList<KdSweepRun> Run(TeacherStudentData data, Mlp teacher, IReadOnlyList<int> studentWidths,
                                                TrainingOptions options, IReadOnlyList<double> temperatures,
                                                IReadOnlyList<double> softWeights, IReadOnlyList<int> seeds,
                                                double fixedTemperature = 4, double fixedWeight = 1,
                                                IProgress<KdSweepProgress>? progress = null)
    {
        if (temperatures.Count == 0 || softWeights.Count == 0 || seeds.Count == 0)
            throw new ArgumentException("Give at least one temperature, one weight and one seed (e.g. [1, 4], [0, 1], [1]).");
        if (temperatures.Append(fixedTemperature).Any(t => !(t > 0) || !double.IsFinite(t)))
            throw new ArgumentException("Temperatures must be finite and positive (T = 1 is the plain softmax).", nameof(temperatures));
        if (softWeights.Append(fixedWeight).Any(w => !(w >= 0) || !double.IsFinite(w)))
            throw new ArgumentException("Weights must be finite and >= 0 (0 trains on the labels alone).", nameof(softWeights));
        var points = temperatures.Select(t => (Knob: KdKnob.Temperature, Value: t, T: t, Weight: fixedWeight))
            .Concat(softWeights.Select(w => (Knob: KdKnob.SoftWeight, Value: w, T: fixedTemperature, Weight: w))).ToArray();
        int total = points.Length * seeds.Count;
        var clock = new ProgressClock();
        clock.Update(0, total);
        var runs = new List<KdSweepRun>(total);
        foreach (var point in points)
            foreach (int seed in seeds)
            {
                var prepared = TabularDistillationCombined.Prepare(data, teacher, $"{point.Knob}={point.Value}", studentWidths, seed,
                    _ => point.Weight == 0 ? Array.Empty<DistillationTerm>()
                        : new[] { new DistillationTerm(new KnowledgeDistillationLoss(point.T), point.Weight) });
                var run = TabularDistillationCombined.Train(data, teacher, prepared, options);
                runs.Add(new KdSweepRun(point.Knob, point.Value, seed, run.Test.Metrics["accuracy"]));
                clock.Update(runs.Count, total);
                progress?.Report(new KdSweepProgress(runs.Count, total, runs[^1], clock));
            }
        return runs;
    }

    /// <summary>The mean ± std over seeds of each value of <paramref name="knob"/>, in the order the values were swept.</summary>
    public static IReadOnlyList<(double Value, MeanStd Accuracy)> Summary(IEnumerable<KdSweepRun> runs, KdKnob knob)
    {
        var rows = runs.Where(r => r.Knob == knob).GroupBy(r => r.Value)
            .Select(g => (g.Key, MeanStd.Of(g.Select(r => r.Accuracy).ToArray()))).ToArray();
        return rows.Length > 0 ? rows
            : throw new ArgumentException($"The sweep has no {knob} runs: pass KdSweep.Run's result.", nameof(runs));
    }
}
