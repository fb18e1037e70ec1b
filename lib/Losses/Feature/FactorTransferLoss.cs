using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Distill.Losses.Feature;

/// <summary>How factor transfer's paraphraser and translator read a feature.</summary>
public enum FactorTransferLayout
{
    /// <summary>[B, C] features (MLP blocks): linear layers.</summary>
    Vector,

    /// <summary>[B, C, L] features (1-D conv blocks): convolutions with kernel 3 and padding 1.</summary>
    Sequence,
}

/// <summary>Factor transfer (FT): the student's translated factor should match the teacher's paraphrased factor.</summary>
/// <remarks>
/// Kim, Park and Kwak, "Paraphrasing Complex Network: Network Compression via Factor Transfer", NeurIPS 2018, Eq. 3:
/// L_FT = ‖F_T/‖F_T‖₂ − F_S/‖F_S‖₂‖_p with p = 1, where F_T is the paraphraser's encoding of the teacher feature
/// (pretrained first with <see cref="Paraphraser.Pretrain"/>, then frozen) and F_S the translator's output for the student
/// feature; each factor is flattened per sample and L2-normalised. The absolute differences are averaged over batch and
/// factor entries (an L1 loss with mean reduction, as common re-implementations such as Knowledge-Distillation-Zoo's
/// <c>FT</c> compute it), so the per-sample norm of Eq. 3 is divided by the factor size. RepDistiller's <c>FactorTransfer</c> deviates: it first reduces each factor to an attention-style
/// map (channel mean of the squared factor) before normalising. When the student's and teacher's lengths differ the
/// longer factor is average-pooled to the shorter, as RepDistiller does.
/// </remarks>
public sealed class FactorTransferLoss : DistillationLoss, ITeacherPassReader
{
    private readonly Translator translator;
    private readonly Paraphraser paraphraser;

    /// <summary>Creates the loss from a (pretrained) paraphraser on the teacher and a translator on the student.</summary>
    /// <param name="pair">Which student feature is translated and which teacher feature is paraphrased.</param>
    /// <param name="paraphraser">The teacher's paraphraser; frozen here, so pretrain it before.</param>
    /// <param name="translator">The student's translator, trained with the student.</param>
    public FactorTransferLoss(LayerPair pair, Paraphraser paraphraser, Translator translator) : base(nameof(FactorTransferLoss))
    {
        if (translator.FactorChannels != paraphraser.FactorChannels || translator.Layout != paraphraser.Layout)
            throw new ArgumentException(
                $"ft: the translator makes {translator.FactorChannels}-channel {translator.Layout} factors but the paraphraser " +
                $"{paraphraser.FactorChannels}-channel {paraphraser.Layout} ones. Build the translator with new Translator(studentChannels, " +
                "paraphraser.FactorChannels, paraphraser.Layout).", nameof(translator));
        Pair = pair;
        this.translator = translator;
        this.paraphraser = paraphraser;
        RegisterComponents();
        // The teacher factor is a fixed target during distillation (RepDistiller keeps the paraphraser out of the optimiser).
        foreach (var parameter in paraphraser.parameters()) parameter.requires_grad = false;
        paraphraser.eval();
    }

    /// <inheritdoc />
    public override string Name => "ft";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.FeaturesOf([Pair]);

    /// <summary>The distilled layer pair.</summary>
    public LayerPair Pair { get; }

    /// <inheritdoc />
    public override Tensor Compute(DistillationContext context)
        => Distance(Pair.SelectStudent(context.Student.Features), Pair.SelectTeacher(context.Teacher.Features));

    /// <summary>Eq. 3 between the translated student feature and the paraphrased teacher feature.</summary>
    /// <param name="student">Student feature [B, Cs] or [B, Cs, L].</param>
    /// <param name="teacher">Teacher feature [B, Ct] or [B, Ct, L]; detached.</param>
    public Tensor Distance(Tensor student, Tensor teacher)
    {
        using var scope = NewDisposeScope();
        FeatureLossGuard.Check(Name, Pair, student, teacher, sameRank: false);
        var factorStudent = translator.call(student);             // F_S: [B, K] or [B, K, Ls]
        Tensor factorTeacher;                                     // F_T: [B, K] or [B, K, Lt]
        paraphraser.eval();
        using (no_grad()) factorTeacher = paraphraser.Encode(teacher.detach());
        if (factorStudent.dim() == 3)
            (factorStudent, factorTeacher) = FeatureLossGuard.PoolToShorter(factorStudent, factorTeacher);
        var normalisedStudent = F.normalize(factorStudent.flatten(1), p: 2, dim: 1);
        var normalisedTeacher = F.normalize(factorTeacher.flatten(1), p: 2, dim: 1);
        return (normalisedStudent - normalisedTeacher).abs().mean().MoveToOuterDisposeScope();
    }
}

/// <summary>Shape checks shared by the paraphraser and the translator.</summary>
internal static class FactorTransferLayouts
{
    /// <summary>Throws a clear error unless the feature has the layout's rank, the expected channels and only finite values.</summary>
    public static void Check(Tensor feature, FactorTransferLayout layout, int channels, string what)
    {
        int rank = layout switch
        {
            FactorTransferLayout.Vector => 2,
            FactorTransferLayout.Sequence => 3,
            _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "ft: unknown factor transfer layout."),
        };
        string shape = FeatureLossGuard.Shape(feature);
        if (feature.dim() != rank)
            throw new ArgumentException(
                $"ft: the {what} has shape {shape} but the {layout} layout takes {(rank == 2 ? "[B, C]" : "[B, C, L]")} features. " +
                $"Build the paraphraser and translator with FactorTransferLayout.{(feature.dim() == 2 ? "Vector" : "Sequence")} for this layer " +
                "(feature losses take [B, C] or [B, C, L]).");
        if (feature.shape[1] != channels)
            throw new ArgumentException(
                $"ft: the {what} has shape {shape} ({feature.shape[1]} channels) but the module was built for {channels}. " +
                "Construct it with the channel count of the layer it reads.");
        FeatureLossGuard.CheckFinite("ft", $"the {what}", feature);
    }
}
