namespace Distill.Metrics;

/// <summary>Areas under ROC and precision-recall curves, in NumPy's arithmetic order.</summary>
internal static class CurveArea
{
    /// <summary>Trapezoidal area under the ROC curve, as <c>np.trapz(tpr, fpr)</c> computes it.</summary>
    public static double Trapezoid(RocCurve curve)
    {
        double[] x = curve.FalsePositiveRate, y = curve.TruePositiveRate;
        var pieces = new double[x.Length - 1];
        for (int i = 0; i < pieces.Length; i++)
            pieces[i] = (x[i + 1] - x[i]) * (y[i + 1] + y[i]) / 2.0;
        return PairwiseSum.Of(pieces);
    }

    /// <summary>Average precision, the step integral sum_n (R_n - R_{n-1}) P_n over the curve's points.</summary>
    /// <remarks>scikit-learn computes -sum(diff(recall) * precision[:-1]); negating each term instead is exact in IEEE arithmetic.</remarks>
    public static double Step(PrecisionRecallCurve curve)
    {
        double[] p = curve.Precision, r = curve.Recall;
        var pieces = new double[p.Length - 1];
        for (int i = 0; i < pieces.Length; i++)
            pieces[i] = (r[i] - r[i + 1]) * p[i];
        return PairwiseSum.Of(pieces);
    }
}
