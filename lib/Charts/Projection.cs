using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Charts;

/// <summary>A principal-component projection fitted on some rows: <c>(x − mean) · W</c> with W the leading right singular vectors.</summary>
/// <remarks>
/// Pearson, "On lines and planes of closest fit to systems of points in space", Philosophical Magazine 1901; computed by
/// the SVD of the centred data, X − mean = U Σ Vᵀ, whose first rows of Vᵀ are the directions of largest variance. Each
/// component's sign is fixed so that its largest-magnitude entry is positive, so the picture does not flip between runs.
/// Fit it once on the union of several sets (student and teacher embeddings) to draw them in one plane.
/// </remarks>
/// <param name="Mean">Mean of the fitted rows [D].</param>
/// <param name="Components">Principal directions as columns [D, k].</param>
/// <param name="ExplainedVariance">Variance of the fitted rows along each direction (Σ² / (n − 1)) [k].</param>
public sealed record Projection(Tensor Mean, Tensor Components, double[] ExplainedVariance)
{
    /// <summary>Fits the leading <paramref name="components"/> principal directions of the rows of <paramref name="rows"/> [n, D].</summary>
    public static Projection Fit(Tensor rows, int components = 2)
    {
        if (rows.dim() != 2)
            throw new ArgumentException($"PCA needs a [rows, features] matrix, but the shape is [{string.Join(", ", rows.shape)}].", nameof(rows));
        if (components < 1 || components > Math.Min(rows.shape[0], rows.shape[1]))
            throw new ArgumentOutOfRangeException(nameof(components), components,
                $"Between 1 and min(rows, features) = {Math.Min(rows.shape[0], rows.shape[1])} components can be fitted to [{string.Join(", ", rows.shape)}].");
        using (var finite = rows.isfinite().all())
            if (!finite.item<bool>())
                throw new ArgumentException("The rows contain NaN or infinite values; PCA cannot fit them.", nameof(rows));
        using var scope = NewDisposeScope();
        var x = rows.detach().to(ScalarType.Float64);
        var mean = x.mean([0]);                                                         // [D]
        var (_, s, vh) = linalg.svd(x.sub(mean), fullMatrices: false);                  // s [r], vh [r, D]
        var w = vh.narrow(0, 0, components).t();                                        // [D, k]
        var sign = w.gather(0, w.abs().argmax(0, keepdim: true)).sign();                // [1, k]
        w = w.mul(sign);
        double[] variance = s.narrow(0, 0, components).pow(2).div(Math.Max(1, rows.shape[0] - 1)).cpu().data<double>().ToArray();
        return new Projection(mean.MoveToOuterDisposeScope(), w.contiguous().MoveToOuterDisposeScope(), variance);
    }

    /// <summary>Projects rows [m, D] onto the fitted directions: [m, k] in float64.</summary>
    public Tensor Apply(Tensor rows)
    {
        if (rows.dim() != 2 || rows.shape[1] != Mean.shape[0])
            throw new ArgumentException(
                $"The projection was fitted on {Mean.shape[0]} features, but the rows are [{string.Join(", ", rows.shape)}].", nameof(rows));
        using var scope = NewDisposeScope();
        return rows.detach().to(ScalarType.Float64).to(Mean.device).sub(Mean).mm(Components).MoveToOuterDisposeScope();
    }

    /// <summary>Projects rows and returns each coordinate as an array: <c>coordinates[c][i]</c> is component c of row i.</summary>
    public double[][] Coordinates(Tensor rows)
    {
        using var projected = Apply(rows);
        using var columns = projected.t().contiguous().cpu();
        long k = columns.shape[0], m = columns.shape[1];
        double[] flat = columns.data<double>().ToArray();
        return Enumerable.Range(0, (int)k).Select(c => flat.AsSpan((int)(c * m), (int)m).ToArray()).ToArray();
    }
}
