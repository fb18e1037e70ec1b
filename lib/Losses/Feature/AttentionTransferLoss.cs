using Distill.Models;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Distill.Losses.Feature;

/// <summary>Options of <see cref="AttentionTransferLoss"/>.</summary>
/// <param name="P">Exponent of the activation-based attention map <c>F(A) = mean_c |A_c|^p</c>; the paper uses 2.</param>
public sealed record AttentionTransferOptions(double P = 2.0);

/// <summary>Attention transfer: the student's spatial attention maps are matched to the teacher's, after L2 normalisation.</summary>
/// <remarks>
/// Zagoruyko and Komodakis, "Paying More Attention to Attention: Improving the Performance of Convolutional Neural
/// Networks via Attention Transfer", ICLR 2017, Eq. 2. The attention map of a <c>[B, C, L]</c> feature is
/// <c>Q = mean over channels of |A_c|^p</c> (<c>[B, L]</c>), flattened and divided by its L2 norm; per layer pair the
/// loss is the mean over batch and positions of <c>(Q_S - Q_T)^2</c>, as RepDistiller computes it (the paper writes
/// the p-norm of the difference with weight beta/2; RepDistiller's weight is 1000). Pairs are summed. Averaging over
/// channels makes the map independent of the channel count, so student and teacher widths may differ; when their
/// lengths differ the longer feature is adaptively average-pooled to the shorter length first (RepDistiller).
/// <para>
/// A <c>[B, C]</c> feature has no spatial axis: read as <c>L = 1</c> its normalised map would be the constant 1 and
/// the loss identically zero. It is therefore read as <c>[B, 1, C]</c>: one channel whose positions are the units,
/// so the map is the normalised energy <c>|a_u|^p</c> of each unit. For unequal widths the wider layer is pooled as
/// above, which averages neighbouring units; dense units have no order, so this is a coarse but well-defined target.
/// </para>
/// <para>
/// The teacher's side of each pair is a <see cref="TeacherSummary"/>: its normalised map, pooled to the student's length
/// when longer, so that a trainer's cache stores the map (1/C of the feature) rather than the feature.
/// </para>
/// </remarks>
public sealed class AttentionTransferLoss : DistillationLoss, ITeacherPassReader
{
    private const string Display = "AttentionTransferLoss (at)";
    private readonly IReadOnlyList<LayerPair> _pairs;
    private readonly double _p;

    /// <summary>Builds the loss over one or more layer pairs (their terms are summed).</summary>
    /// <param name="pairs">Student/teacher layers whose attention maps are matched.</param>
    /// <param name="options">The exponent p; default 2 as in the paper.</param>
    public AttentionTransferLoss(IReadOnlyList<LayerPair> pairs, AttentionTransferOptions? options = null) : base(nameof(AttentionTransferLoss))
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (pairs.Count == 0)
            throw new ArgumentException($"{Display}: give at least one LayerPair (for example LayerPair.Last).", nameof(pairs));
        _pairs = pairs.ToArray();
        _p = (options ?? new AttentionTransferOptions()).P;
        if (!(_p > 0) || double.IsInfinity(_p))
            throw new ArgumentOutOfRangeException(nameof(options), _p, $"{Display}: p must be a positive finite exponent (the paper uses 2).");
    }

    /// <inheritdoc />
    public override string Name => "at";

    /// <inheritdoc />
    /// <remarks>The teacher's map of every pair; none of the teacher's features themselves.</remarks>
    public TeacherPassParts TeacherParts => TeacherPassParts.SummariesOnly(_pairs.Select(TeacherMap).ToArray());

    /// <summary>Sum over the layer pairs of the mean squared difference between normalised attention maps.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var scope = NewDisposeScope();
        Tensor? total = null;
        foreach (LayerPair pair in _pairs)
        {
            Tensor student = pair.SelectStudent(context.Student.Features);
            FeatureLossGuard.CheckRank(Display, FeatureLossGuard.Subject(pair, "student"), student); // before the teacher's side reads its shape
            Tensor term = MapDistance(pair, student, context.TeacherSummary(TeacherMap(pair)));
            total = total is null ? term : total + term;
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <summary>The normalised attention map Q / ||Q||_2: [B, L] for a [B, C, L] feature, [B, C] (one value per unit) for a [B, C] feature.</summary>
    public Tensor AttentionMap(Tensor feature)
    {
        if (feature.dim() is not (2 or 3))
            throw new ArgumentException($"{Display}: attention maps need a [B, C] or [B, C, L] feature, got {FeatureLossGuard.Shape(feature)}.", nameof(feature));
        Tensor energy = AsMaps(feature).abs().pow(_p).mean([1]);   // [B, L]
        return nn.functional.normalize(energy, p: 2, dim: 1);
    }

    /// <summary>The mean over batch and positions of <c>(Q_S - Q_T)^2</c> for one pair: the student's feature, average-pooled
    /// to the teacher map's length when longer, against the teacher's map (from <see cref="TeacherMap"/>).</summary>
    /// <param name="pair">The layers compared, for messages.</param>
    /// <param name="student">The student's [B, C] or [B, C, L] feature.</param>
    /// <param name="teacherMap">The teacher's normalised map [B, L'].</param>
    public Tensor MapDistance(LayerPair pair, Tensor student, Tensor teacherMap)
    {
        FeatureLossGuard.CheckRank(Display, FeatureLossGuard.Subject(pair, "student"), student);
        FeatureLossGuard.CheckBatch(Display, $"layers {pair}", student, teacherMap);
        FeatureLossGuard.CheckFinite(Display, FeatureLossGuard.Subject(pair, "student"), student);
        var maps = AsMaps(student);
        long length = teacherMap.shape[1];
        if (maps.shape[2] > length) maps = F.adaptive_avg_pool1d(maps, length);
        return (AttentionMap(maps) - teacherMap.detach()).pow(2).mean();
    }

    // The teacher's side of a pair: its feature's map, the feature first pooled to the student's length when longer (RepDistiller).
    private TeacherSummary TeacherMap(LayerPair pair) => new($"{Name}/{pair}", (teacherPass, studentShapes) =>
    {
        Tensor teacher = pair.SelectTeacher(teacherPass.Features).detach();
        long[] student = pair.SelectStudent(studentShapes.Features);
        FeatureLossGuard.CheckRank(Display, FeatureLossGuard.Subject(pair, "teacher"), teacher);
        if (student.Length != teacher.dim())
            throw new ArgumentException(
                $"{Display}: student [{string.Join(", ", student)}] and teacher {FeatureLossGuard.Shape(teacher)} for layers {pair} have different layouts; " +
                "this loss compares them position by position, so pair two [B, C] features or two [B, C, L] features.");
        FeatureLossGuard.CheckFinite(Display, FeatureLossGuard.Subject(pair, "teacher"), teacher);
        var maps = AsMaps(teacher);
        long studentLength = student.Length == 2 ? student[1] : student[2];
        if (maps.shape[2] > studentLength) maps = F.adaptive_avg_pool1d(maps, studentLength);
        return AttentionMap(maps);
    });

    // [B, C] -> [B, 1, C]: the units become the positions (see remarks); [B, C, L] stays.
    private static Tensor AsMaps(Tensor feature) => feature.dim() == 2 ? feature.unsqueeze(1) : feature;
}
