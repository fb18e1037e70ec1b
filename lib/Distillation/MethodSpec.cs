namespace Distill.Distillation;

/// <summary>What a tabular student distils with: tabular methods (<see cref="MlpDistillation.Methods"/>), each with its weight
/// w_k in <c>L = L_task + Σ_k w_k L_k</c>; no method at all for the baseline.</summary>
/// <remarks>Written as the specs of <see cref="SpecGrammar"/>: <c>kd</c>, <c>kd+fitnet=100</c>, <c>crd+kd</c>, <c>none</c>
/// (the same grammar as the BeatGAN students' <see cref="BeatGan.BeatGanKdStudent.Parse"/>). Terms are built in the order the
/// spec names them, so <c>crd+kd</c> and <c>kd+crd</c> start from differently drawn learned parts.</remarks>
public sealed class MethodSpec
{
    /// <summary>The names specs use for the tabular methods (case-insensitive; each <see cref="DistillationMethod"/> name and
    /// RepDistiller's names are read too).</summary>
    public static SpecVocabulary<DistillationMethod> Vocabulary { get; } = new(
        "distillation method", MlpDistillation.Methods.Select(m => m.Method).ToArray(), m => MlpDistillation.Method(m).Name,
        m => MlpDistillation.Method(m).DefaultWeight, m => [m.ToString(), .. MlpDistillation.Method(m).Aliases], AllowsNone: true,
        Renamed: new Dictionary<string, string> { ["nce"] = "soft-ce" }); // "nce" is CRD's noise-contrastive estimation

    /// <summary>A spec of the given methods and weights.</summary>
    /// <param name="terms">Each method once, none of them <see cref="DistillationMethod.None"/>, each weight finite and non-negative;
    /// empty for the baseline.</param>
    /// <exception cref="ArgumentException">A method twice, <see cref="DistillationMethod.None"/> among them, or a bad weight.</exception>
    public MethodSpec(IReadOnlyList<(DistillationMethod Method, double Weight)> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        if (terms.Any(t => t.Method == DistillationMethod.None))
            throw new ArgumentException("None is no distillation method: leave it out (no term at all is the baseline, MethodSpec.None).", nameof(terms));
        Terms = SpecGrammar.Checked(terms, Vocabulary);
    }

    /// <summary>The baseline: a student trained from its labels alone (the spec <c>none</c>).</summary>
    public static MethodSpec None { get; } = new([]);

    /// <summary>The methods and their weights, in the spec's order.</summary>
    public IReadOnlyList<(DistillationMethod Method, double Weight)> Terms { get; }

    /// <summary>The name in tables, run logs and checkpoint file names: the method names joined by '+', a weight shown where it
    /// is not the default (<c>kd</c>, <c>crd+kd</c>, <c>kd+fitnet=50</c>), <c>none</c> for the baseline. It holds only
    /// lowercase letters, digits and <c>+ = . -</c>, so it is a valid file name everywhere.</summary>
    public string Name => Terms.Count == 0 ? SpecGrammar.None : string.Join("+", Terms.Select(t => SpecGrammar.Display(t.Method, t.Weight, Vocabulary)));

    /// <summary>The spec of one method with its default weight, or <paramref name="weight"/>; <see cref="None"/> for
    /// <see cref="DistillationMethod.None"/> (whatever the weight).</summary>
    public static MethodSpec Of(DistillationMethod method, double? weight = null)
        => method == DistillationMethod.None ? None : new([(method, weight ?? MlpDistillation.Method(method).DefaultWeight)]);

    /// <summary>Reads a spec: method names joined by '+', each with an optional <c>=weight</c> (the default weight when absent), or
    /// <c>none</c>; see <see cref="SpecGrammar"/>.</summary>
    /// <param name="spec">The spec, e.g. <c>kd+fitnet=100</c>.</param>
    /// <param name="weight">The weight of a one-method spec that gives none (the command line's <c>--weight</c>): <c>kd</c> with
    /// weight 2 is <c>kd=2</c>; ignored for <c>none</c>.</param>
    /// <exception cref="FormatException">The spec breaks the grammar (the message names the problem and lists the methods), or
    /// <paramref name="weight"/> is given for a spec that combines methods or gives its own weight.</exception>
    public static MethodSpec Parse(string spec, double? weight = null)
    {
        var terms = SpecGrammar.Parse(spec, Vocabulary);
        if (weight is { } w && terms.Count > 0)
        {
            if (terms.Count > 1 || terms[0].Weight is not null)
                throw new FormatException($"'{spec}' gives {(terms.Count > 1 ? "each method its" : "its own")} weight in the spec; a separate weight " +
                                          $"applies to one method without '=weight' only: write the weights into the spec, e.g. '{Formatted(terms)}'.");
            if (!double.IsFinite(w) || w < 0)
                throw new FormatException($"The weight of '{spec}' must be a non-negative number, got {w}.");
            terms = [(terms[0].Term, w)];
        }
        return new MethodSpec(terms.Select(t => (t.Term, t.Weight ?? Vocabulary.DefaultWeight(t.Term))).ToArray());
    }

    /// <summary>The terms this spec gives for <paramref name="pair"/>, each method's loss with its weight.</summary>
    public IReadOnlyList<DistillationTerm> Build(MlpPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return Terms.Select(t => new DistillationTerm(MlpDistillation.Method(t.Method).Build(pair), t.Weight)).ToArray();
    }

    /// <summary>The spec with every weight, which <see cref="Parse"/> reads back exactly: <c>kd=1+fitnet=100</c>, <c>none</c>.</summary>
    public override string ToString() => SpecGrammar.Format(Terms, Vocabulary);

    private static string Formatted(IReadOnlyList<(DistillationMethod Term, double? Weight)> terms)
        => SpecGrammar.Format(terms.Select(t => (t.Term, t.Weight ?? Vocabulary.DefaultWeight(t.Term))).ToArray(), Vocabulary);
}
