using System.Globalization;

namespace Distill.Data.Tabular;

/// <summary>Feature views of the 8×8 UCI digits: the full image for the teacher, a coarser image for a student.</summary>
/// <remarks>
/// The columns of <see cref="UciTables.Digits"/> are pixels in row-major order (<c>index = 8 · row + column</c>).
/// A subsampled view keeps every <c>stride</c>-th row and column, the image a cheaper sensor would see; the kept rows and
/// columns start at <c>stride / 2</c> so that they avoid the mostly blank border. With stride 2 the student reads 16 of the 64
/// pixels (rows and columns 1, 3, 5, 7) and cannot tell some digits apart on its own, which is where a teacher's soft
/// targets (which digits look alike) have something to teach.
/// </remarks>
public static class DigitsViews
{
    /// <summary>Side of the square digit image.</summary>
    public const int Side = 8;

    /// <summary>All 64 pixels.</summary>
    public static FeatureView AllPixels { get; } = new("all 64 pixels", Enumerable.Range(0, Side * Side).ToArray());

    /// <summary>The pixels on every <paramref name="stride"/>-th row and column, starting at row and column <c>stride / 2</c>.</summary>
    /// <param name="stride">Keep one row and column in <paramref name="stride"/> (1 keeps all; 2 keeps a 4×4 image).</param>
    public static FeatureView Subsampled(int stride)
    {
        if (stride < 1 || stride >= Side)
            throw new ArgumentOutOfRangeException(nameof(stride), stride,
                $"The stride must be between 1 (all pixels) and {Side - 1} (one pixel per row and column would leave nothing to learn from).");
        int[] kept = Enumerable.Range(0, Side).Where(i => i % stride == stride / 2).ToArray();
        int[] columns = kept.SelectMany(row => kept.Select(column => Side * row + column)).ToArray();
        int side = kept.Length;
        return new FeatureView(string.Create(CultureInfo.InvariantCulture, $"{side}x{side} pixels (stride {stride})"), columns);
    }
}
