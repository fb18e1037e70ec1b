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

    /// <summary>Scalar form of <see cref="AssertClose(double[], double[], double, double, string)"/>.</summary>
    public static void AssertClose(double expected, double actual, double rel = 1e-5, double abs = 1e-7, string what = "value")
        => AssertClose([expected], [actual], rel, abs, what);
}
