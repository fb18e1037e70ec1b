namespace Distill.Metrics;

/// <summary>Checks scores and 0/1 labels at the public boundary of <see cref="BinaryMetrics"/>.</summary>
internal static class BinaryInput
{
    /// <summary>Throws unless the lists are equally long, non-empty, labels are 0/1 and scores finite.</summary>
    public static void Validate(IReadOnlyList<double> scores, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(labels);
        if (scores.Count != labels.Count)
            throw new ArgumentException(
                $"scores and labels differ in length ({scores.Count} vs {labels.Count}): pass exactly one score per labelled sample.");
        if (scores.Count == 0)
            throw new ArgumentException("scores and labels are empty: pass at least one scored, labelled sample.");
        for (int i = 0; i < labels.Count; i++)
            if (labels[i] is not (0 or 1))
                throw new ArgumentException(
                    $"labels[{i}] = {labels[i]}: binary metrics need labels 0 (negative) or 1 (positive); map the classes to 0/1 first.",
                    nameof(labels));
        for (int i = 0; i < scores.Count; i++)
            if (!double.IsFinite(scores[i]))
                throw new ArgumentException(
                    $"scores[{i}] is {scores[i]}: metrics need finite scores; find where the model produced NaN/Inf (e.g. a diverged run) and fix it before evaluating.",
                    nameof(scores));
    }

    /// <summary>Throws unless both classes occur, for metrics undefined on a single class.</summary>
    public static void RequireBothClasses(ThresholdCounts counts, string metric)
    {
        if (counts.Positives == 0 || counts.Negatives == 0)
            throw new ArgumentException(
                $"{metric} is undefined with only one class (labels have {counts.Positives} positives and {counts.Negatives} negatives): "
                + "evaluate on a set that contains both label 0 and label 1.");
    }

    /// <summary>Throws unless at least one label is 1, for metrics whose recall divides by the positive count.</summary>
    public static void RequirePositives(ThresholdCounts counts, string metric)
    {
        if (counts.Positives == 0)
            throw new ArgumentException(
                $"{metric} is undefined without positives (all {counts.Negatives} labels are 0): recall divides by the positive count; "
                + "evaluate on a set that contains label 1.");
    }
}
