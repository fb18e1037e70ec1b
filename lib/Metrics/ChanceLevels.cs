namespace Distill.Metrics;

/// <summary>What a detector that knows nothing scores on a labelled set: the level a test AUC, AP or F1 is read against.</summary>
/// <param name="Count">Labelled items.</param>
/// <param name="Positives">Items labelled 1 (abnormal beat, malignant tumour).</param>
/// <remarks>
/// A score independent of the labels ranks positives and negatives alike, so its ROC AUC is 0.5, and the precision at any
/// of its thresholds is, in expectation, the positive share π: its average precision tends to π as the set grows (Saito &amp;
/// Rehmsmeier, "The Precision-Recall Plot Is More Informative than the ROC Plot When Evaluating Binary Classifiers on
/// Imbalanced Datasets", PLoS ONE 2015: the baseline of a precision-recall plot is P / (P + N)). The detector that calls
/// every item positive has precision π and recall 1, hence F1 = 2π / (1 + π); a best F1 over thresholds is never below it,
/// because "everything positive" is one of those thresholds. With half the test beats abnormal, AP 0.5 and F1 0.67 are
/// reached without looking at a beat.
/// </remarks>
public sealed record ChanceLevels(int Count, int Positives)
{
    /// <summary>Checks the counts: at least one positive and one negative item.</summary>
    public int Positives { get; } = Positives > 0 && Positives < Count ? Positives
        : throw new ArgumentOutOfRangeException(nameof(Positives), Positives,
            $"Chance levels need both classes: {Positives} positives among {Count} items; give labels with at least one 0 and one 1.");

    /// <summary>The levels of 0/1 labels (1 = positive).</summary>
    /// <exception cref="ArgumentException">A label other than 0 or 1.</exception>
    public static ChanceLevels Of(IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        int bad = labels.Count(l => l is not (0 or 1));
        if (bad > 0) throw new ArgumentException($"{bad} labels are neither 0 nor 1; give 1 for positive (abnormal) and 0 for negative.", nameof(labels));
        return new ChanceLevels(labels.Count, labels.Sum());
    }

    /// <summary>The positive share π = P / (P + N).</summary>
    public double PositiveShare => (double)Positives / Count;

    /// <summary>ROC AUC of a score independent of the labels: 0.5.</summary>
    public double RocAuc => 0.5;

    /// <summary>Average precision of a score independent of the labels, in the limit of many items: π.</summary>
    public double AveragePrecision => PositiveShare;

    /// <summary>F1 of calling every item positive: 2π / (1 + π) (precision π, recall 1).</summary>
    public double F1AllPositive => 2 * PositiveShare / (1 + PositiveShare);
}
