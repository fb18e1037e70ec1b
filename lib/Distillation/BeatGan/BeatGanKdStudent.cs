namespace Distill.Distillation.BeatGan;

/// <summary>A distilled BeatGAN student's recipe: the weighted distillation terms added to its own BeatGAN objective.</summary>
/// <param name="Terms">Each term with its weight w_k in <c>L_G = L_rec + w_adv L_adv + Σ_k w_k L_k</c>; at least one, no term twice.</param>
public sealed record BeatGanKdStudent(IReadOnlyList<(BeatGanKdTerm Term, double Weight)> Terms)
{
    /// <summary>Checks the recipe: at least one term, each once, with a finite non-negative weight.</summary>
    public IReadOnlyList<(BeatGanKdTerm Term, double Weight)> Terms { get; } = Validated(Terms);

    /// <summary>"student + rec-kd", "student + rec-kd + crd" for a combination (terms by <see cref="BeatGanKdTerms.Name"/>);
    /// a weight other than the term's default is shown, as in "student + crd=0.1".</summary>
    public string Name => string.Join(" + ", Terms.Select(t => t.Weight == BeatGanKdTerms.DefaultWeight(t.Term)
        ? BeatGanKdTerms.Name(t.Term)
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{BeatGanKdTerms.Name(t.Term)}={t.Weight:G6}")).Prepend("student"));

    /// <summary>A recipe from (term, weight) pairs.</summary>
    public static BeatGanKdStudent Of(params (BeatGanKdTerm Term, double Weight)[] terms) => new(terms);

    /// <summary>Parses "rec-kd", "rec-kd+crd" or "score-kd=50+latent": term names joined by '+', each with an optional
    /// "=weight" (<see cref="BeatGanKdTerms.DefaultWeight"/> when absent).</summary>
    /// <exception cref="FormatException">An unknown name or a weight that is not a non-negative number; the message lists the names.</exception>
    public static BeatGanKdStudent Parse(string recipe)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        var terms = recipe.Split('+', StringSplitOptions.TrimEntries).Select(part =>
        {
            string[] nameAndWeight = part.Split('=', 2, StringSplitOptions.TrimEntries);
            var term = BeatGanKdTerms.FromName(nameAndWeight[0]) ?? throw new FormatException(
                $"Unknown BeatGAN distillation term '{nameAndWeight[0]}' in '{recipe}'; choose from {string.Join(", ", Enum.GetValues<BeatGanKdTerm>().Select(BeatGanKdTerms.Name))}.");
            if (nameAndWeight.Length == 1) return (term, BeatGanKdTerms.DefaultWeight(term));
            if (!double.TryParse(nameAndWeight[1], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double weight)
                || !double.IsFinite(weight) || weight < 0)
                throw new FormatException($"The weight of '{nameAndWeight[0]}' in '{recipe}' must be a non-negative number, got '{nameAndWeight[1]}'.");
            return (term, weight);
        }).ToArray();
        try { return new BeatGanKdStudent(terms); }
        catch (ArgumentException error) { throw new FormatException($"'{recipe}': {error.Message}", error); }
    }

    /// <summary>The same terms with each weight multiplied by <paramref name="factor"/>.</summary>
    public BeatGanKdStudent Scaled(double factor) => new(Terms.Select(t => (t.Term, t.Weight * factor)).ToArray());

    /// <summary>The recipe as text <see cref="Parse"/> reads back, e.g. "rec-kd=1+crd=0.1".</summary>
    public override string ToString() =>
        string.Join("+", Terms.Select(t => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{BeatGanKdTerms.Name(t.Term)}={t.Weight:G6}")));

    private static IReadOnlyList<(BeatGanKdTerm Term, double Weight)> Validated(IReadOnlyList<(BeatGanKdTerm Term, double Weight)> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0) throw new ArgumentException("A distilled student needs at least one term; the plain student is run anyway.", nameof(terms));
        if (terms.Select(t => t.Term).Distinct().Count() != terms.Count)
            throw new ArgumentException("A term appears twice in the recipe; give each term once with its total weight.", nameof(terms));
        foreach (var (term, weight) in terms)
            if (!double.IsFinite(weight) || weight < 0)
                throw new ArgumentOutOfRangeException(nameof(terms), weight, $"The weight of {BeatGanKdTerms.Name(term)} must be finite and non-negative.");
        return terms.ToArray();
    }
}
