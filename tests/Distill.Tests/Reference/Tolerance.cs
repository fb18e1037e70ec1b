namespace Distill.Tests.Reference;

/// <summary>Relative-tolerance comparison for reference values.</summary>
public static class Tolerance
{
    /// <summary>Asserts |actual - expected| &lt;= rel * max(|expected|, 1e-12) + abs, elementwise, naming the first mismatch.</summary>
    public static void AssertClose(double[] expected, double[] actual, double rel = 1e-5, double abs = 1e-7, string what = "value")
    {
        Assert.True(expected.Length == actual.Length, $"{what}: length {actual.Length}, expected {expected.Length}");
        for (int i = 0; i < expected.Length; i++)
        {
            double limit = rel * Math.Abs(expected[i]) + abs;
            Assert.True(Math.Abs(actual[i] - expected[i]) <= limit,
                $"{what}[{i}] = {actual[i]:R}, expected {expected[i]:R} (tolerance {limit:G3})");
        }
    }

    /// <summary>Asserts |actual - expected| &lt;= rel * (|expected| + max_j |expected_j|), elementwise: the tolerance for the
    /// outputs of a deep network in float32.</summary>
    /// <remarks>A sum's rounding error grows with the size of its summands, not of its result, and convolution kernels
    /// (PyTorch 1.13 with OpenBLAS, LibTorch 2.10 with oneDNN on AVX2 or AVX-512) add them in different orders: an output
    /// that cancels to near zero carries an error of the order of the layer's scale. So the absolute part of the tolerance
    /// is <paramref name="rel"/> times the largest expected magnitude. A wrong weight, layer or statistic moves outputs by
    /// far more than that (the mutation checks of the reference tests).</remarks>
    public static void AssertCloseAtScale(double[] expected, double[] actual, double rel = 1e-5, string what = "value")
        => AssertClose(expected, actual, rel, rel * expected.Select(Math.Abs).DefaultIfEmpty(0).Max(), what);

    /// <summary>Scalar form of <see cref="AssertClose(double[], double[], double, double, string)"/>.</summary>
    public static void AssertClose(double expected, double actual, double rel = 1e-5, double abs = 1e-7, string what = "value")
        => AssertClose([expected], [actual], rel, abs, what);
}
