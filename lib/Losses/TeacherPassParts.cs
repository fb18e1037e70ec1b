using Distill.Models;
using static TorchSharp.torch;

namespace Distill.Losses;

/// <summary>Which parts of the frozen teacher's forward pass a distillation term reads: its output, which features, and
/// which summaries of them.</summary>
/// <param name="Output">Whether the term reads <see cref="Models.FeatureOutput.Output"/> (a reconstruction, logits).</param>
/// <param name="Features">Indices into <see cref="Models.FeatureOutput.Features"/> the term reads; negative indices count
/// from the end as in <see cref="LayerPair"/>. Pre-activations are never cached.</param>
public sealed record TeacherPassParts(bool Output, IReadOnlyList<int> Features)
{
    /// <summary>Per-row functions of the teacher's pass the term reads through <see cref="DistillationContext.TeacherSummary"/>
    /// instead of the parts they are computed from (attention transfer's maps instead of the features).</summary>
    public IReadOnlyList<TeacherSummary> Summaries { get; init; } = [];

    /// <summary>Nothing of the teacher (a term that does not look at it).</summary>
    public static TeacherPassParts None { get; } = new(false, []);

    /// <summary>Only the teacher's output.</summary>
    public static TeacherPassParts OutputOnly { get; } = new(true, []);

    /// <summary>The teacher features of <paramref name="pairs"/> (a feature loss's <see cref="LayerPair.Teacher"/> indices), not the output.</summary>
    public static TeacherPassParts FeaturesOf(IEnumerable<LayerPair> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        return new TeacherPassParts(false, pairs.Select(pair => pair.Teacher).Distinct().Order().ToArray());
    }

    /// <summary>Only the given summaries of the teacher's pass.</summary>
    public static TeacherPassParts SummariesOnly(params TeacherSummary[] summaries) => new(false, []) { Summaries = summaries };

    /// <summary>The parts two terms read together; two summaries with one key must be the same summary.</summary>
    public TeacherPassParts Union(TeacherPassParts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var summaries = Summaries.ToList();
        foreach (var summary in other.Summaries)
        {
            var same = summaries.FirstOrDefault(s => s.Key == summary.Key);
            if (same is null) summaries.Add(summary);
            else if (!ReferenceEquals(same.Of, summary.Of))
                throw new ArgumentException($"Two terms declare the teacher summary '{summary.Key}'; give the terms distinct names.", nameof(other));
        }
        return new TeacherPassParts(Output || other.Output, Features.Concat(other.Features).Distinct().Order().ToArray()) { Summaries = summaries };
    }
}

/// <summary>A per-row function of the frozen teacher's pass that a term compares with the student in place of the part it
/// is computed from, so that a cache stores the (small) summary: attention transfer's normalised map of a feature
/// (Zagoruyko &amp; Komodakis, ICLR 2017, Eq. 2) is 1/C of the feature.</summary>
/// <param name="Key">Distinct among a run's terms: the term's name and what is summarised, for example <c>at/(0, 0)</c>.</param>
/// <param name="Of">The summary of a batch, <c>[B, ...]</c>, from the teacher's pass on it and the shapes of the student's
/// features (a map pooled to the student's length); row b must depend on row b of the pass alone, without gradient.</param>
public sealed record TeacherSummary(string Key, Func<FeatureOutput, FeatureShapes, Tensor> Of);

/// <summary>A distillation term that declares which parts of the teacher's pass on the <em>training inputs</em> it reads, so
/// that a trainer may compute them once (<c>Distill.Distillation.TeacherPassCache</c>) instead of running the frozen teacher every step.</summary>
/// <remarks>A term that runs some other frozen network on the teacher's output (d-at's teacher discriminator) declares that
/// computation as a <see cref="TeacherSummary"/>; what it computes on the student's output stays live. A term that does not
/// implement this interface makes the trainer run the teacher live, as before.</remarks>
public interface ITeacherPassReader
{
    /// <summary>The parts of <see cref="DistillationContext.Teacher"/> that <see cref="DistillationLoss.Compute"/> reads.</summary>
    TeacherPassParts TeacherParts { get; }
}
