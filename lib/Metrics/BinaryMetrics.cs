namespace Distill.Metrics;

/// <summary>Threshold-free and threshold-picking metrics for anomaly scores against 0/1 labels (1 = positive).</summary>
/// <remarks>
/// Every result matches scikit-learn 1.2.1 (the version BeatGAN's reported numbers come from) to the last bits:
/// same tie grouping, same curve points, same NumPy summation order. Inputs are checked: equal lengths, at least one
/// sample, labels only 0/1, finite scores; metrics undefined on the given classes throw instead of returning NaN.
/// </remarks>
public static class BinaryMetrics
{
    /// <summary>The ROC curve, like scikit-learn's <c>roc_curve(y, s, drop_intermediate=True)</c>.</summary>
    /// <exception cref="ArgumentException">Bad input, or only one class present.</exception>
    public static RocCurve Roc(IReadOnlyList<double> scores, IReadOnlyList<int> labels)
    {
        var counts = ThresholdCounts.Of(scores, labels);
        BinaryInput.RequireBothClasses(counts, "the ROC curve");
        return RocOf(counts);
    }

    /// <summary>Area under the ROC curve, like scikit-learn's <c>roc_auc_score</c>: a tied positive/negative pair counts one half.</summary>
    /// <remarks>
    /// Trapezoidal area under <see cref="Roc"/>; equals the Mann-Whitney U statistic / (P N), the probability that a random
    /// positive scores above a random negative (Hanley and McNeil, "The meaning and use of the area under a receiver
    /// operating characteristic (ROC) curve", Radiology, 1982).
    /// </remarks>
    /// <exception cref="ArgumentException">Bad input, or only one class present.</exception>
    public static double RocAuc(IReadOnlyList<double> scores, IReadOnlyList<int> labels)
        => CurveArea.Trapezoid(Roc(scores, labels));

    /// <summary>The precision-recall curve, like scikit-learn's <c>precision_recall_curve</c>.</summary>
    /// <exception cref="ArgumentException">Bad input, or no positive label.</exception>
    public static PrecisionRecallCurve PrecisionRecall(IReadOnlyList<double> scores, IReadOnlyList<int> labels)
    {
        var counts = ThresholdCounts.Of(scores, labels);
        BinaryInput.RequirePositives(counts, "the precision-recall curve");
        return PrecisionRecallOf(counts);
    }

    /// <summary>Average precision, like scikit-learn's <c>average_precision_score</c>: AP = sum_n (R_n - R_{n-1}) P_n.</summary>
    /// <remarks>
    /// The step integral, not the trapezoid (which is optimistic). Deviation: scikit-learn 1.2.1 only warns on a single
    /// class and returns 0 (no positives) or 1 (no negatives); both are meaningless, so this throws.
    /// </remarks>
    /// <exception cref="ArgumentException">Bad input, or only one class present.</exception>
    public static double AveragePrecision(IReadOnlyList<double> scores, IReadOnlyList<int> labels)
    {
        var counts = ThresholdCounts.Of(scores, labels);
        BinaryInput.RequireBothClasses(counts, "average precision");
        return CurveArea.Step(PrecisionRecallOf(counts));
    }

    /// <summary>The threshold with the highest F1 = 2 P R / (P + R), predicting positive when score &gt;= threshold.</summary>
    /// <remarks>
    /// BeatGAN's <c>evaluate</c> (Zhou et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time
    /// Series", IJCAI 2019, experiments/ecg/metric.py) tries every <c>roc_curve</c> threshold from the highest down and
    /// keeps the first strictly better <c>f1_score</c>. This scans every distinct score (the precision-recall thresholds)
    /// in the same order with the same arithmetic; the points <c>roc_curve</c> drops lie on a segment along which F1 is
    /// monotone, so both scans find the same threshold. Ties keep the highest threshold.
    /// </remarks>
    /// <exception cref="ArgumentException">Bad input, or no positive label.</exception>
    public static F1AtThreshold BestF1(IReadOnlyList<double> scores, IReadOnlyList<int> labels)
    {
        var counts = ThresholdCounts.Of(scores, labels);
        BinaryInput.RequirePositives(counts, "the best F1 threshold");
        F1AtThreshold? best = null;
        for (int i = 0; i < counts.Thresholds.Length; i++)
        {
            double precision = (double)counts.TruePositives[i] / (counts.TruePositives[i] + counts.FalsePositives[i]);
            double recall = (double)counts.TruePositives[i] / counts.Positives;
            double denominator = precision + recall;
            // scikit-learn's f1_score defines F1 = 0 when P = R = 0 and evaluates (1 + beta^2) P R / (beta^2 P + R).
            double f1 = denominator == 0.0 ? 0.0 : 2.0 * precision * recall / denominator;
            if (best is null || f1 > best.F1)
                best = new F1AtThreshold(counts.Thresholds[i], f1, precision, recall);
        }
        return best!;
    }

    /// <summary>Counts of the decision "positive when score &gt;= <paramref name="threshold"/>" against the labels.</summary>
    /// <exception cref="ArgumentException">Bad input, or a NaN threshold.</exception>
    public static ConfusionMatrix ConfusionAt(IReadOnlyList<double> scores, IReadOnlyList<int> labels, double threshold)
    {
        BinaryInput.Validate(scores, labels);
        if (double.IsNaN(threshold))
            throw new ArgumentException("threshold is NaN: pass a number (e.g. BestF1(...).Threshold); no score compares >= NaN.", nameof(threshold));
        int tp = 0, fp = 0, tn = 0, fn = 0;
        for (int i = 0; i < scores.Count; i++)
        {
            bool predicted = scores[i] >= threshold;
            bool actual = labels[i] == 1;
            if (predicted && actual) tp++;
            else if (predicted) fp++;
            else if (actual) fn++;
            else tn++;
        }
        return new ConfusionMatrix(tp, fp, tn, fn);
    }

    private static RocCurve RocOf(ThresholdCounts counts)
    {
        int[] tps = counts.TruePositives, fps = counts.FalsePositives;
        int last = tps.Length - 1;
        // Start at (0, 0) with a threshold above every score, as scikit-learn 1.2.1 does (highest + 1).
        var fpr = new List<double> { 0.0 };
        var tpr = new List<double> { 0.0 };
        var thresholds = new List<double> { counts.Thresholds[0] + 1 };
        for (int i = 0; i <= last; i++)
        {
            // drop_intermediate: a zero second difference in both counts means equal steps on both sides (collinear).
            bool corner = i == 0 || i == last
                || fps[i - 1] - 2 * fps[i] + fps[i + 1] != 0
                || tps[i - 1] - 2 * tps[i] + tps[i + 1] != 0;
            if (!corner) continue;
            fpr.Add((double)fps[i] / counts.Negatives);
            tpr.Add((double)tps[i] / counts.Positives);
            thresholds.Add(counts.Thresholds[i]);
        }
        return new RocCurve(fpr.ToArray(), tpr.ToArray(), thresholds.ToArray());
    }

    private static PrecisionRecallCurve PrecisionRecallOf(ThresholdCounts counts)
    {
        int m = counts.Thresholds.Length;
        var precision = new double[m + 1];
        var recall = new double[m + 1];
        var thresholds = new double[m];
        // Reversed so thresholds increase and recall decreases; the appended (1, 0) point has no threshold.
        for (int k = 0; k < m; k++)
        {
            int i = m - 1 - k;
            precision[k] = (double)counts.TruePositives[i] / (counts.TruePositives[i] + counts.FalsePositives[i]);
            recall[k] = (double)counts.TruePositives[i] / counts.Positives;
            thresholds[k] = counts.Thresholds[i];
        }
        precision[m] = 1.0;
        recall[m] = 0.0;
        return new PrecisionRecallCurve(precision, recall, thresholds);
    }
}
