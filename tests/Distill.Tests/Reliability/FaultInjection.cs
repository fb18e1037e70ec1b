using System.Security.Cryptography;
using System.Text;
using Distill.Data;
using Xunit.Abstractions;

namespace Distill.Tests.Reliability;

/// <summary>What a loader did with a mutated file.</summary>
public enum FaultOutcome
{
    /// <summary>Loaded to the same result as the original (the mutation hit bytes the result does not depend on).</summary>
    Same,

    /// <summary>Refused with the project's <see cref="InvalidFileException"/> naming the file.</summary>
    Refused,

    /// <summary>Loaded to another result: allowed only where the format has no checksum (see each kind's test).</summary>
    Different,
}

/// <summary>Seeded mutations of a file's bytes (truncate, flip a bit, splice a chunk elsewhere, oversize by appending or by
/// inflating a number) and the check that a loader either gives the original's result or refuses the file with the
/// project's own exception naming it.</summary>
/// <remarks>The number of mutations per mutation kind is <see cref="Count"/>: a few in CI (the suite stays well under a
/// minute), more with <c>DISTILL_FAULT_INPUTS=N</c> (the long mode; its figures are in the reliability report).</remarks>
public static class FaultInjection
{
    /// <summary>Mutations per mutation kind and file kind (<c>DISTILL_FAULT_INPUTS</c>, default 12).</summary>
    public static int Count => int.TryParse(Environment.GetEnvironmentVariable("DISTILL_FAULT_INPUTS"), out int n) && n > 0 ? n : 12;

    /// <summary>The mutation kinds.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["truncate", "flip", "splice", "oversize"];

    /// <summary>One seeded mutation of <paramref name="original"/> of the given kind; never equal to the original.</summary>
    /// <param name="original">The file's bytes.</param>
    /// <param name="kind">One of <see cref="Kinds"/>.</param>
    /// <param name="rng">The seeded generator.</param>
    /// <param name="region">Where flips and splices land (default: the whole file), e.g. one zip entry's data.</param>
    public static byte[] Mutate(byte[] original, string kind, Random rng, (int Start, int Length)? region = null)
    {
        var (start, length) = region ?? (0, original.Length);
        byte[] result;
        switch (kind)
        {
            case "truncate":
                return original[..rng.Next(0, original.Length)];
            case "flip":
                result = (byte[])original.Clone();
                result[start + rng.Next(length)] ^= (byte)(1 << rng.Next(8));
                return result;
            case "splice":
                result = (byte[])original.Clone();
                int size = Math.Min(1 + rng.Next(64), length);
                int from = rng.Next(original.Length - size + 1), to = start + rng.Next(length - size + 1);
                Array.Copy(original, from, result, to, size);
                if (result.AsSpan().SequenceEqual(original)) result[to] ^= 0xFF;
                return result;
            case "oversize":
                return rng.Next(2) == 0 || !InflateNumber(original, rng, out result)
                    ? [.. original, .. Enumerable.Range(0, 1 + rng.Next(1024)).Select(_ => (byte)rng.Next(256))]
                    : result;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown mutation.");
        }
    }

    // Replaces one run of ASCII digits by a number beyond every integer type (the headers' overflow case).
    private static bool InflateNumber(byte[] original, Random rng, out byte[] result)
    {
        var runs = new List<(int Start, int End)>();
        for (int i = 0; i < original.Length; i++)
        {
            if (!char.IsAsciiDigit((char)original[i])) continue;
            int end = i;
            while (end < original.Length && char.IsAsciiDigit((char)original[end])) end++;
            runs.Add((i, end));
            i = end;
        }
        result = original;
        if (runs.Count == 0 || runs.Count > original.Length / 4) return false; // binary files: append instead
        var (s, e) = runs[rng.Next(runs.Count)];
        result = [.. original[..s], .. "99999999999999999999"u8.ToArray(), .. original[e..]];
        return true;
    }

    /// <summary>Runs <paramref name="load"/> on <paramref name="mutated"/> written to <paramref name="path"/> and classifies the
    /// outcome against <paramref name="expected"/>; any exception other than the project's own naming the file fails.</summary>
    /// <param name="path">Where the loader reads the file (the mutated bytes are written there).</param>
    /// <param name="mutated">The file's bytes.</param>
    /// <param name="load">Reads the file and returns a fingerprint of everything it produced.</param>
    /// <param name="expected">The original's fingerprint.</param>
    /// <param name="what">The mutation, for failure messages.</param>
    public static FaultOutcome Try(string path, byte[] mutated, Func<string, string> load, string expected, string what)
    {
        File.WriteAllBytes(path, mutated);
        string result;
        try
        {
            result = load(path);
        }
        catch (InvalidFileException error)
        {
            Assert.True(error.Message.Contains(Path.GetFileName(error.FilePath), StringComparison.Ordinal), $"{what}: the message does not name the file: {error.Message}");
            Assert.True(Path.GetFileName(error.FilePath) == Path.GetFileName(path) || error.FilePath.StartsWith(Path.GetDirectoryName(path)!, StringComparison.Ordinal),
                        $"{what}: the error names '{error.FilePath}', not '{path}'");
            return FaultOutcome.Refused;
        }
        catch (Exception error)
        {
            Assert.Fail($"{what}: {error.GetType().FullName} instead of the project's InvalidFileException: {error.Message}");
            throw;
        }
        return result == expected ? FaultOutcome.Same : FaultOutcome.Different;
    }

    /// <summary>A SHA-256 of the given values, as a fingerprint of a load's result.</summary>
    public static string Fingerprint(IEnumerable<string> parts)
    {
        var text = new StringBuilder();
        foreach (string part in parts) text.Append(part).Append('\n');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>Writes the per-kind outcome counts to the test output (the long mode's figures).</summary>
    public static void Report(ITestOutputHelper output, string file, Dictionary<(string Kind, FaultOutcome Outcome), int> counts)
    {
        foreach (string kind in Kinds)
            output.WriteLine($"{file} {kind}: " + string.Join(", ", Enum.GetValues<FaultOutcome>().Select(o => $"{o.ToString().ToLowerInvariant()} {counts.GetValueOrDefault((kind, o))}")));
    }
}
