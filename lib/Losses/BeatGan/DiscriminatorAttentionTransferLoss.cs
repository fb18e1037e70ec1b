using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Models.BeatGan;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.BeatGan;

/// <summary>Attention transfer through the teacher's discriminator: the teacher critic must "see" the student's
/// reconstruction as it sees the teacher's.</summary>
/// <remarks>
/// Zagoruyko and Komodakis, "Paying More Attention to Attention", ICLR 2017, Eq. 2, on the five block features of
/// BeatGAN's discriminator (Zhou et al., IJCAI 2019). The lab notes tried two variants: the student D's features of
/// the fake against the student D's features of the real beat (no teacher at all), and the student D against the
/// teacher D, both on the student's fake. Both put the student discriminator, a moving adversary reset whenever it
/// wins, into the target. Design here: the frozen teacher discriminator D_T is the fixed feature extractor on both
/// sides, <c>L = Σ_k AT(D_T,k(G_S(x)), D_T,k(G_T(x)))</c>. Gradient reaches the student generator through G_S(x);
/// D_T's parameters are frozen (requires_grad = false, eval mode) by the constructor and never change, and the right
/// side runs without gradient. Student and teacher D widths never need to match, because only D_T is used.
/// </remarks>
public sealed class DiscriminatorAttentionTransferLoss : IDistillationLoss, ITeacherPassReader
{
    private readonly BeatGanDiscriminator _teacherDiscriminator;
    private readonly AttentionTransferLoss _attention;

    /// <summary>Builds the loss over the teacher discriminator's five blocks; freezes that discriminator.</summary>
    public DiscriminatorAttentionTransferLoss(BeatGanDiscriminator teacherDiscriminator, AttentionTransferOptions? options = null)
    {
        _teacherDiscriminator = teacherDiscriminator ?? throw new ArgumentNullException(nameof(teacherDiscriminator));
        foreach (var parameter in _teacherDiscriminator.parameters()) parameter.requires_grad = false;
        _teacherDiscriminator.eval();
        _attention = new AttentionTransferLoss(
            Enumerable.Range(0, BeatGanOptions.DownsamplingBlocks).Select(k => new LayerPair(k, k)).ToArray(), options);
    }

    /// <inheritdoc />
    public string Name => "d-at";

    /// <inheritdoc />
    /// <remarks>G_T(x) only: D_T runs live on it and on G_S(x).</remarks>
    public TeacherPassParts TeacherParts => TeacherPassParts.OutputOnly;

    /// <summary>Sum over D_T's blocks of the attention-map distance between D_T(G_S(x)) and D_T(G_T(x)).</summary>
    public Tensor Compute(DistillationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var scope = NewDisposeScope();
        _teacherDiscriminator.eval();
        var onStudent = _teacherDiscriminator.ForwardFeatures(context.Student.Output);
        Models.FeatureOutput onTeacher;
        using (no_grad()) onTeacher = _teacherDiscriminator.ForwardFeatures(context.Teacher.Output.detach());
        return _attention.Compute(context with { Student = onStudent, Teacher = onTeacher }).MoveToOuterDisposeScope();
    }
}
