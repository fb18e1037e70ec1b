namespace Distill.Data.Tabular;

/// <summary>Per-column standardisation (zero mean, unit variance) fitted on training rows only.</summary>
/// <remarks>Fitting on the training split alone keeps validation and test statistics out of the model (no leakage).
/// A constant column gets scale 1 so it maps to zero instead of dividing by zero.</remarks>
public sealed class Standardizer
{
    private readonly float[] mean;
    private readonly float[] scale;

    private Standardizer(float[] mean, float[] scale) { this.mean = mean; this.scale = scale; }

    /// <summary>Column means of the fitted rows.</summary>
    public IReadOnlyList<float> Mean => mean;

    /// <summary>Column standard deviations (population) of the fitted rows, 1 for constant columns.</summary>
    public IReadOnlyList<float> Scale => scale;

    /// <summary>Fits on the given rows of a feature matrix.</summary>
    public static Standardizer Fit(float[][] features, IReadOnlyList<int> rows)
    {
        if (rows.Count == 0) throw new ArgumentException("Cannot fit a standardizer on zero rows.", nameof(rows));
        int width = features[rows[0]].Length;
        var mean = new double[width];
        var sq = new double[width];
        foreach (int r in rows)
            for (int c = 0; c < width; c++) mean[c] += features[r][c];
        for (int c = 0; c < width; c++) mean[c] /= rows.Count;
        foreach (int r in rows)
            for (int c = 0; c < width; c++) { double d = features[r][c] - mean[c]; sq[c] += d * d; }
        var scale = sq.Select(s => Math.Sqrt(s / rows.Count)).Select(s => s > 1e-12 ? (float)s : 1f).ToArray();
        return new Standardizer(mean.Select(m => (float)m).ToArray(), scale);
    }

    /// <summary>Standardises the chosen columns of the given rows, returned row-major as [rows.Count * columns.Count].</summary>
    public float[] Transform(float[][] features, IReadOnlyList<int> rows, IReadOnlyList<int> columns)
    {
        var result = new float[rows.Count * columns.Count];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < columns.Count; j++)
            {
                int c = columns[j];
                result[i * columns.Count + j] = (features[rows[i]][c] - mean[c]) / scale[c];
            }
        return result;
    }
}
