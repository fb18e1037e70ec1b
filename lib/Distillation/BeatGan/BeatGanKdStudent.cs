namespace Distill.Distillation.BeatGan;

/// <summary>A distilled BeatGAN student's recipe: the weighted distillation terms added to its own BeatGAN objective.</summary>
/// <param name="Terms">Each term with its weight w_k in <c>L_G = L_rec + w_adv L_adv + Σ_k w_k L_k</c>; at least one, no term twice.</param>
public sealed record BeatGanKdStudent(IReadOnlyList<(BeatGanKdTerm Term, double Weight)> Terms)
{
    /// <summary>Checks the recipe: at least one term, each once, with a finite non-negative weight (<see cref="SpecGrammar.Checked"/>).</summary>
    public IReadOnlyList<(BeatGanKdTerm Term, double Weight)> Terms { get; } = Validated(Terms);

    /// <summary>"student + rec-kd", "student + rec-kd + crd" for a combination (terms by <see cref="BeatGanKdTerms.Name"/>);
    /// a weight other than the term's default is shown, as in "student + crd=0.1".</summary>
    public string Name => string.Join(" + ", Terms.Select(t => SpecGrammar.Display(t.Term, t.Weight, BeatGanKdTerms.Vocabulary)).Prepend("student"));

    /// <summary>A recipe from (term, weight) pairs.</summary>
    public static BeatGanKdStudent Of(params (BeatGanKdTerm Term, double Weight)[] terms) => new(terms);

    /// <summary>Parses "rec-kd", "rec-kd+crd" or "score-kd=50+latent": term names joined by '+', each with an optional
    /// "=weight" (<see cref="BeatGanKdTerms.DefaultWeight"/> when absent); the grammar of every spec, <see cref="SpecGrammar"/>.</summary>
    /// <exception cref="FormatException">An unknown name or a weight that is not a non-negative number; the message lists the names.</exception>
    public static BeatGanKdStudent Parse(string recipe)
        => new(SpecGrammar.Parse(recipe, BeatGanKdTerms.Vocabulary)
                          .Select(t => (t.Term, t.Weight ?? BeatGanKdTerms.DefaultWeight(t.Term))).ToArray());

    /// <summary>The same terms with each weight multiplied by <paramref name="factor"/>.</summary>
    public BeatGanKdStudent Scaled(double factor) => new(Terms.Select(t => (t.Term, t.Weight * factor)).ToArray());

    /// <summary>The recipe as text <see cref="Parse"/> reads back exactly, e.g. "rec-kd=1+crd=0.1".</summary>
    public override string ToString() => SpecGrammar.Format(Terms, BeatGanKdTerms.Vocabulary);

    private static IReadOnlyList<(BeatGanKdTerm Term, double Weight)> Validated(IReadOnlyList<(BeatGanKdTerm Term, double Weight)> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Count == 0) throw new ArgumentException("A distilled student needs at least one term; the plain student is run anyway.", nameof(terms));
        return SpecGrammar.Checked(terms, BeatGanKdTerms.Vocabulary);
    }
}
