namespace Distill.Metrics;

/// <summary>True and false positive counts at every distinct score, from the highest score down.</summary>
/// <param name="Thresholds">Distinct scores, decreasing.</param>
/// <param name="TruePositives">Positives with score &gt;= <c>Thresholds[i]</c> (non-decreasing).</param>
/// <param name="FalsePositives">Negatives with score &gt;= <c>Thresholds[i]</c> (non-decreasing).</param>
/// <param name="Positives">Number of label-1 samples.</param>
/// <param name="Negatives">Number of label-0 samples.</param>
/// <remarks>
/// The counterpart of scikit-learn's <c>_binary_clf_curve</c>. Tied scores form one threshold, so a tie between a
/// positive and a negative moves the ROC curve diagonally, which is what makes the trapezoidal AUC count such a
/// pair as one half.
/// </remarks>
internal sealed record ThresholdCounts(double[] Thresholds, int[] TruePositives, int[] FalsePositives, int Positives, int Negatives)
{
    /// <summary>Sorts by decreasing score and accumulates the counts at the end of each run of tied scores.</summary>
    public static ThresholdCounts Of(IReadOnlyList<double> scores, IReadOnlyList<int> labels)
    {
        BinaryInput.Validate(scores, labels);
        int n = scores.Count;
        int[] order = Enumerable.Range(0, n).ToArray();
        double[] keys = scores.ToArray();
        Array.Sort(keys, order);

        var thresholds = new List<double>();
        var tps = new List<int>();
        var fps = new List<int>();
        int tp = 0, fp = 0;
        for (int k = n - 1; k >= 0; k--)
        {
            if (labels[order[k]] == 1) tp++; else fp++;
            // Equality (not bit identity) ends a run, as NumPy's np.diff does, so -0.0 and 0.0 tie.
            if (k == 0 || keys[k - 1] != keys[k])
            {
                thresholds.Add(keys[k]);
                tps.Add(tp);
                fps.Add(fp);
            }
        }
        return new ThresholdCounts(thresholds.ToArray(), tps.ToArray(), fps.ToArray(), tp, fp);
    }
}
