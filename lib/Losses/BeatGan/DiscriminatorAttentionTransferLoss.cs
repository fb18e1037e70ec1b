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
public sealed class DiscriminatorAttentionTransferLoss : DistillationLoss, ITeacherPassReader
{
    private readonly BeatGanDiscriminator _teacherDiscriminator;
    private readonly AttentionTransferLoss _attention;
    private readonly TeacherSummary _teacherMaps;

    /// <summary>Builds the loss over the teacher discriminator's five blocks; freezes that discriminator.</summary>
    public DiscriminatorAttentionTransferLoss(BeatGanDiscriminator teacherDiscriminator, AttentionTransferOptions? options = null) : base(nameof(DiscriminatorAttentionTransferLoss))
    {
        _teacherDiscriminator = teacherDiscriminator ?? throw new ArgumentNullException(nameof(teacherDiscriminator));
        foreach (var parameter in _teacherDiscriminator.parameters()) parameter.requires_grad = false;
        _teacherDiscriminator.eval();
        _attention = new AttentionTransferLoss(Blocks.Select(k => new LayerPair(k, k)).ToArray(), options);
        _teacherMaps = new TeacherSummary(Name, (teacher, _) => TeacherMaps(teacher.Output));
        // No RegisterComponents(): D_T is the run's frozen input, not this loss's state, so it is never trained, switched to
        // training mode or saved with the term; AT has no state.
    }

    /// <inheritdoc />
    public override string Name => "d-at";

    /// <inheritdoc />
    /// <remarks>D_T's five normalised maps on G_T(x), 310 floats per beat for L = 320 (a summary: neither G_T(x) nor D_T's
    /// features are kept); D_T runs live on G_S(x) only.</remarks>
    public TeacherPassParts TeacherParts => TeacherPassParts.SummariesOnly(_teacherMaps);

    /// <summary>Sum over D_T's blocks of the attention-map distance between D_T(G_S(x)) and D_T(G_T(x)).</summary>
    public override Tensor Compute(DistillationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var scope = NewDisposeScope();
        _teacherDiscriminator.eval();
        var onStudent = _teacherDiscriminator.ForwardFeatures(context.Student.Output);
        var teacherMaps = context.TeacherSummary(_teacherMaps); // [B, Σ_k L_k]
        long[] lengths = Blocks.Select(k => onStudent.Features[k].shape[2]).ToArray();
        if (teacherMaps.dim() != 2 || teacherMaps.shape[1] != lengths.Sum())
            throw new ArgumentException(
                $"d-at: the teacher's maps are [{string.Join(", ", teacherMaps.shape)}] but D_T's blocks on the student's reconstruction are " +
                $"{string.Join(" + ", lengths)} long; student and teacher must reconstruct beats of the same length.");
        Tensor? total = null;
        long start = 0;
        foreach (int k in Blocks)
        {
            var term = _attention.MapDistance(new LayerPair(k, k), onStudent.Features[k], teacherMaps.narrow(1, start, lengths[k]));
            start += lengths[k];
            total = total is null ? term : total + term;
        }
        return total!.MoveToOuterDisposeScope();
    }

    private static IEnumerable<int> Blocks => Enumerable.Range(0, BeatGanOptions.DownsamplingBlocks);

    // D_T's block maps on G_T(x), side by side: a function of the teacher's reconstruction alone.
    private Tensor TeacherMaps(Tensor teacherReconstruction)
    {
        using var scope = NewDisposeScope();
        _teacherDiscriminator.eval();
        using var noGrad = no_grad();
        var onTeacher = _teacherDiscriminator.ForwardFeatures(teacherReconstruction.detach());
        return cat(Blocks.Select(k => _attention.AttentionMap(onTeacher.Features[k])).ToArray(), 1).MoveToOuterDisposeScope();
    }
}
