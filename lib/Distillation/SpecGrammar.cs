using System.Globalization;

namespace Distill.Distillation;

/// <summary>The terms a family of distillation specs can name: the tabular methods of <see cref="MethodSpec"/>, the BeatGAN
/// terms of <see cref="BeatGan.BeatGanKdStudent"/>.</summary>
/// <typeparam name="T">The type of a term.</typeparam>
/// <param name="Kind">What a term is called in messages ("distillation method", "BeatGAN distillation term").</param>
/// <param name="Terms">Every term, in the order the messages list them.</param>
/// <param name="Name">A term's name in specs (lowercase).</param>
/// <param name="DefaultWeight">The weight of a term given without <c>=weight</c>.</param>
/// <param name="Aliases">Other names a term is also read by (case-insensitively), none when null.</param>
/// <param name="AllowsNone">Whether the spec <c>none</c> (no term at all) is accepted.</param>
/// <param name="Renamed">Names of an earlier release and the names that replaced them (lowercase); a spec that uses one is
/// refused with the new name, for one release, rather than read silently.</param>
public sealed record SpecVocabulary<T>(string Kind, IReadOnlyList<T> Terms, Func<T, string> Name, Func<T, double> DefaultWeight,
                                       Func<T, IEnumerable<string>>? Aliases = null, bool AllowsNone = false,
                                       IReadOnlyDictionary<string, string>? Renamed = null) where T : notnull
{
    /// <summary>The term called <paramref name="name"/> by its name or an alias (case-insensitive, surrounding spaces ignored), or
    /// false.</summary>
    public bool TryFind(string name, out T term)
    {
        string wanted = name.Trim();
        foreach (var candidate in Terms)
            if (string.Equals(Name(candidate), wanted, StringComparison.OrdinalIgnoreCase)
                || (Aliases?.Invoke(candidate).Any(a => string.Equals(a, wanted, StringComparison.OrdinalIgnoreCase)) ?? false))
            {
                term = candidate;
                return true;
            }
        term = default!;
        return false;
    }

    /// <summary>The names a spec may use, as listed in messages (<c>none</c> first where allowed).</summary>
    public string Choices => string.Join(", ", (AllowsNone ? [SpecGrammar.None] : Array.Empty<string>()).Concat(Terms.Select(Name)));
}

/// <summary>The one grammar of distillation specs, for every family of terms: names joined by <c>+</c>, each with an optional
/// <c>=weight</c> (a finite, non-negative number; the term's default weight when absent), no term twice; <c>none</c> is the
/// spec without terms where the family allows it. Examples: <c>kd</c>, <c>kd+fitnet=100</c>, <c>crd+kd</c>,
/// <c>rec-kd+crd=0.05</c>, <c>none</c>.</summary>
/// <remarks>The combined objective is <c>L = L_task + Σ_k w_k L_k</c>, as in Tian et al. (CRD, ICLR 2020, Sec. 4.1:
/// <c>L_CE + α L_KD + β L_CRD</c>) and torchdistill's weighted sum of named terms.</remarks>
public static class SpecGrammar
{
    /// <summary>The spec without distillation terms (the student trained from its labels alone).</summary>
    public const string None = "none";

    /// <summary>Reads <paramref name="spec"/> into its terms; a weight is null where the spec gives none.</summary>
    /// <exception cref="FormatException">An empty, unknown or renamed name (the message lists the choices or gives the new
    /// name), <c>none</c> combined with
    /// terms, a weight that is not a finite non-negative number, or a term given twice.</exception>
    public static IReadOnlyList<(T Term, double? Weight)> Parse<T>(string spec, SpecVocabulary<T> vocabulary) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(vocabulary);
        string[] parts = spec.Split('+', StringSplitOptions.TrimEntries);
        if (vocabulary.AllowsNone && parts.Length == 1 && string.Equals(parts[0], None, StringComparison.OrdinalIgnoreCase)) return [];
        var terms = new List<(T Term, double? Weight)>();
        foreach (string part in parts)
        {
            string[] nameAndWeight = part.Split('=', 2, StringSplitOptions.TrimEntries);
            string name = nameAndWeight[0];
            if (vocabulary.AllowsNone && string.Equals(name, None, StringComparison.OrdinalIgnoreCase))
                throw new FormatException($"'{spec}' combines none with other terms; none means no {vocabulary.Kind} at all: give it alone.");
            if (vocabulary.Renamed is { } renamed && renamed.TryGetValue(name.ToLowerInvariant(), out string? newName))
                throw new FormatException($"The {vocabulary.Kind} '{name}' in '{spec}' was renamed to '{newName}'; write '{newName}'.");
            if (!vocabulary.TryFind(name, out var term))
                throw new FormatException(name.Length == 0
                    ? $"'{spec}' has an empty {vocabulary.Kind} name; join names with a single '+', e.g. '{Example(vocabulary)}'."
                    : $"Unknown {vocabulary.Kind} '{name}' in '{spec}'; choose from {vocabulary.Choices}.");
            if (terms.Any(t => EqualityComparer<T>.Default.Equals(t.Term, term)))
                throw new FormatException($"'{spec}' names {vocabulary.Name(term)} twice; give each term once with its total weight.");
            if (nameAndWeight.Length == 1)
            {
                terms.Add((term, null));
                continue;
            }
            if (!double.TryParse(nameAndWeight[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double weight) || !double.IsFinite(weight) || weight < 0)
                throw new FormatException($"The weight of '{name}' in '{spec}' must be a non-negative number, got '{nameAndWeight[1]}'.");
            terms.Add((term, weight));
        }
        return terms;
    }

    /// <summary>Checks terms built in code the way <see cref="Parse"/> checks a spec: each term once, each weight finite and
    /// non-negative.</summary>
    /// <exception cref="ArgumentException">A term appears twice or a weight is negative, infinite or NaN.</exception>
    public static IReadOnlyList<(T Term, double Weight)> Checked<T>(IReadOnlyList<(T Term, double Weight)> terms, SpecVocabulary<T> vocabulary)
        where T : notnull
    {
        ArgumentNullException.ThrowIfNull(terms);
        ArgumentNullException.ThrowIfNull(vocabulary);
        if (terms.Select(t => t.Term).Distinct().Count() != terms.Count)
            throw new ArgumentException("A term appears twice; give each term once with its total weight.", nameof(terms));
        foreach (var (term, weight) in terms)
            if (!double.IsFinite(weight) || weight < 0)
                throw new ArgumentOutOfRangeException(nameof(terms), weight,
                    $"The weight of {vocabulary.Name(term)} must be a finite, non-negative number, got {Number(weight)}.");
        return terms.ToArray();
    }

    /// <summary>A term as a name shows it: its name alone at its default weight, else <c>name=weight</c> (6 significant
    /// digits), e.g. <c>kd</c>, <c>crd=0.1</c>.</summary>
    public static string Display<T>(T term, double weight, SpecVocabulary<T> vocabulary) where T : notnull
        => weight == vocabulary.DefaultWeight(term)
            ? vocabulary.Name(term)
            : $"{vocabulary.Name(term)}={Number(weight, "G6")}";

    /// <summary>The terms as the spec <see cref="Parse"/> reads back exactly, every weight given: <c>kd=1+fitnet=100</c>;
    /// <c>none</c> when there is none.</summary>
    public static string Format<T>(IReadOnlyList<(T Term, double Weight)> terms, SpecVocabulary<T> vocabulary) where T : notnull
        => terms.Count == 0 ? None : string.Join("+", terms.Select(t => $"{vocabulary.Name(t.Term)}={Number(t.Weight)}"));

    // Shortest round-trip text; an exponent is written without '+' ("1E20"), which would split the spec.
    private static string Number(double value, string format = "R")
        => value.ToString(format, CultureInfo.InvariantCulture).Replace("E+", "E", StringComparison.Ordinal);

    private static string Example<T>(SpecVocabulary<T> vocabulary) where T : notnull
        => string.Join("+", vocabulary.Terms.Take(2).Select(vocabulary.Name));
}
