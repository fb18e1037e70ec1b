using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Distill.Losses.Feature;

/// <summary>Neuron selectivity transfer: the student's neurons should fire where the teacher's do.</summary>
/// <remarks>
/// Huang and Wang, "Like What You Like: Knowledge Distill via Neuron Selectivity Transfer", arXiv:1707.01219, 2017,
/// the squared maximum mean discrepancy of its objective with the polynomial kernel k(x, y) = (xᵀy + c)^d, d = 2, c = 0,
/// the kernel the paper and RepDistiller's <c>NSTLoss</c> use. Each channel's activations over
/// the spatial positions are one sample of the "selectivity" distribution, L2-normalised over positions; the loss is
/// the squared MMD between the student's set of channels and the teacher's:
/// mean k(t, t') + mean k(s, s') − 2 mean k(s, t), averaged over the batch as in RepDistiller's <c>NSTLoss</c>.
/// When the two networks' lengths differ, the longer feature is average-pooled to the shorter (as the reference does).
/// Channel counts may differ. NST needs a spatial axis: for a [B, C] feature (L = 1) each normalised response is ±1, every
/// kernel value is 1 and the MMD is identically zero, so such features (and [B, C, 1]) are rejected rather than silently giving 0.
/// </remarks>
public sealed class NeuronSelectivityTransferLoss : DistillationLoss, ITeacherPassReader
{
    private const string Display = "nst";

    /// <summary>Creates the loss over the given layer pairs (the last block of both networks when none are given).</summary>
    /// <param name="pairs">Student/teacher feature pairs; the loss is the sum over pairs.</param>
    public NeuronSelectivityTransferLoss(params LayerPair[] pairs) : base(nameof(NeuronSelectivityTransferLoss))
    {
        Pairs = pairs.Length == 0 ? [LayerPair.Last] : pairs.ToArray();
    }

    /// <inheritdoc />
    public override string Name => Display;

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.FeaturesOf(Pairs);

    /// <summary>The distilled layer pairs.</summary>
    public IReadOnlyList<LayerPair> Pairs { get; }

    /// <inheritdoc />
    public override Tensor Compute(DistillationContext context)
    {
        using var scope = NewDisposeScope();
        Tensor? total = null;
        foreach (var pair in Pairs)
        {
            var term = Mmd(pair.SelectStudent(context.Student.Features), pair.SelectTeacher(context.Teacher.Features), pair);
            total = total is null ? term : total + term;
        }
        return total!.MoveToOuterDisposeScope();
    }

    /// <summary>Squared MMD with the polynomial kernel between one student and one teacher feature, each [B, C, L].</summary>
    /// <param name="student">Student feature [B, Cs, Ls].</param>
    /// <param name="teacher">Teacher feature [B, Ct, Lt]; detached, the teacher never receives gradient.</param>
    /// <param name="pair">The pair these features come from, named in error messages.</param>
    public static Tensor Mmd(Tensor student, Tensor teacher, LayerPair pair)
    {
        using var scope = NewDisposeScope();
        FeatureLossGuard.Check(Display, pair, student, teacher, sameRank: false);
        RequirePositions(student, pair, "student");
        RequirePositions(teacher, pair, "teacher");
        var (s, t) = FeatureLossGuard.PoolToShorter(student, teacher.detach());  // [B, Cs, L], [B, Ct, L]

        s = F.normalize(s, p: 2, dim: 2);         // each channel's response over positions, unit norm
        t = F.normalize(t, p: 2, dim: 2);
        var loss = PolynomialKernel(t, t).mean() + PolynomialKernel(s, s).mean() - 2 * PolynomialKernel(s, t).mean();
        return loss.MoveToOuterDisposeScope();
    }

    // k(x, y) = (xᵀy)² between every channel of a and every channel of b: [B, Ca, Cb].
    private static Tensor PolynomialKernel(Tensor a, Tensor b) => matmul(a, b.transpose(1, 2)).pow(2);

    private static void RequirePositions(Tensor feature, LayerPair pair, string side)
    {
        if (feature.dim() == 2 || feature.shape[2] == 1)
            throw new ArgumentException(
                $"{Display}: {FeatureLossGuard.Subject(pair, side)} has shape {FeatureLossGuard.Shape(feature)}, one position per channel. NST compares each channel's " +
                "response over spatial positions; with one position every normalised response is ±1 and the loss is identically 0. " +
                "Distil a [B, C, L] feature (a 1-D conv block) with NST, or use a loss made for vectors (RKD, PKT, SP, CC).");
    }
}
