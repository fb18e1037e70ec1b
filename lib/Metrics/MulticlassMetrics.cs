namespace Distill.Metrics;

/// <summary>Metrics for predicted class indices against true class indices.</summary>
public static class MulticlassMetrics
{
    /// <summary>The fraction of samples whose predicted class equals the label.</summary>
    /// <exception cref="ArgumentException">Lists of different length, or empty.</exception>
    public static double Accuracy(IReadOnlyList<int> predicted, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(predicted);
        ArgumentNullException.ThrowIfNull(labels);
        if (predicted.Count != labels.Count)
            throw new ArgumentException(
                $"predicted and labels differ in length ({predicted.Count} vs {labels.Count}): pass exactly one prediction per labelled sample.");
        if (labels.Count == 0)
            throw new ArgumentException("predicted and labels are empty: accuracy needs at least one sample.");
        int correct = 0;
        for (int i = 0; i < labels.Count; i++)
            if (predicted[i] == labels[i]) correct++;
        return (double)correct / labels.Count;
    }
}
