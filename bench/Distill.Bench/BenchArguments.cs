namespace Distill.Bench;

/// <summary>Reads the benchmarks' "name value" arguments (<c>-- beatgan --steps 100</c>), with a default when absent.</summary>
internal static class BenchArguments
{
    /// <summary>The integer after <paramref name="name"/>, or <paramref name="fallback"/> when the name is absent.</summary>
    /// <exception cref="ArgumentException">The value is missing, not an integer, or below <paramref name="minimum"/>.</exception>
    public static int Int(string[] args, string name, int fallback, int minimum = 0)
    {
        int at = Array.IndexOf(args, name);
        if (at < 0) return fallback;
        if (at + 1 >= args.Length || !int.TryParse(args[at + 1], out int value) || value < minimum)
            throw new ArgumentException($"{name} must be followed by an integer of at least {minimum}, e.g. {name} {fallback}.");
        return value;
    }

    /// <summary>The text after <paramref name="name"/>, or <paramref name="fallback"/> when the name is absent.</summary>
    public static string Text(string[] args, string name, string fallback)
    {
        int at = Array.IndexOf(args, name);
        if (at < 0) return fallback;
        if (at + 1 >= args.Length) throw new ArgumentException($"{name} must be followed by a value, e.g. {name} {fallback}.");
        return args[at + 1];
    }
}
