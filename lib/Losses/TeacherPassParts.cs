namespace Distill.Losses;

/// <summary>Which parts of the frozen teacher's forward pass a distillation term reads: its output and which features.</summary>
/// <param name="Output">Whether the term reads <see cref="Models.FeatureOutput.Output"/> (a reconstruction, logits).</param>
/// <param name="Features">Indices into <see cref="Models.FeatureOutput.Features"/> the term reads; negative indices count
/// from the end as in <see cref="LayerPair"/>. Pre-activations are never cached.</param>
public sealed record TeacherPassParts(bool Output, IReadOnlyList<int> Features)
{
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

    /// <summary>The parts two terms read together.</summary>
    public TeacherPassParts Union(TeacherPassParts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new TeacherPassParts(Output || other.Output, Features.Concat(other.Features).Distinct().Order().ToArray());
    }
}

/// <summary>A distillation term that declares which parts of the teacher's pass on the <em>training inputs</em> it reads, so
/// that a trainer may compute them once (<c>Distill.Distillation.TeacherPassCache</c>) instead of running the frozen teacher every step.</summary>
/// <remarks>A term that runs some other frozen network on the teacher's output (d-at's teacher discriminator) declares the
/// output; what it computes on the student's output stays live. A term that does not implement this interface makes the
/// trainer run the teacher live, as before.</remarks>
public interface ITeacherPassReader
{
    /// <summary>The parts of <see cref="DistillationContext.Teacher"/> that <see cref="IDistillationLoss.Compute"/> reads.</summary>
    TeacherPassParts TeacherParts { get; }
}
