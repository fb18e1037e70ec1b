using Distill.Losses;
using Distill.Losses.Crd;
using Distill.Losses.Feature;
using Distill.Models;
using Distill.Runtime;
using static TorchSharp.torch;

namespace Distill.Distillation;

/// <summary>What the learned or data-dependent parts of a method need to be built: the pair and the training rows.</summary>
/// <param name="Student">The student (its widths size the learned parts).</param>
/// <param name="Teacher">The trained teacher (BatchNorm statistics for OFD, features for FT's paraphraser).</param>
/// <param name="ClassCount">Number of classes of the task (2 means one logit).</param>
/// <param name="TrainTeacherInput">The training rows as the teacher reads them [N, teacher columns].</param>
/// <param name="TrainTargets">Labels of the training rows [N] (CRD draws negatives from other classes).</param>
public sealed record MlpPair(Mlp Student, Mlp Teacher, int ClassCount, Tensor TrainTeacherInput, Tensor TrainTargets)
{
    /// <summary>The student's device, where the terms' trainable parts are built.</summary>
    public Device Device => DistillDevice.Of(Student);
}

/// <summary>The registry of the tabular distillation methods: for each <see cref="DistillationMethod"/> its spec name, paper,
/// default weight and the builder of its loss for an MLP teacher/student pair.</summary>
/// <remarks>
/// Which layers are paired: logit methods read the outputs; single-pair feature methods read the last hidden block of
/// both networks (the penultimate representation, as RepDistiller does); attention transfer and similarity preserving
/// pair the deepest blocks from the end, as many as the shallower network has. OFD takes its margins from the teacher's
/// BatchNorm of the paired block. Weights are RepDistiller's defaults for each method (its training scripts' <c>-b</c>),
/// with the task loss at weight 1; they were tuned for CIFAR-100 CNNs and are a starting point, not an optimum.
/// NST and FSP are not defined for these pairs (MLP features have no length axis; FSP needs equal widths) and say so.
/// Methods are combined with <see cref="MethodSpec"/> (<c>kd+fitnet=100</c>).
/// </remarks>
public static class MlpDistillation
{
    /// <summary>Steps of FT's paraphraser pretraining on the teacher's features (full batch).</summary>
    public const int ParaphraserSteps = 200;

    /// <summary>Every method, in the order of <see cref="DistillationMethod"/> (which has no entry for
    /// <see cref="DistillationMethod.None"/>: no method is the spec without terms, <see cref="MethodSpec.None"/>).</summary>
    public static IReadOnlyList<MlpMethod> Methods { get; } =
    [
        new(DistillationMethod.Kd, "kd", [], new("Hinton, Vinyals & Dean", "Distilling the Knowledge in a Neural Network", "arXiv", 2015), 1,
            pair => pair.ClassCount == 2 ? new BinaryKnowledgeDistillationLoss() : new KnowledgeDistillationLoss()),
        new(DistillationMethod.NegativeCrossEntropy, "soft-ce", [], new("Li & Hoiem", "Learning without Forgetting", "ECCV", 2016), 1,
            pair => new NegativeSoftTargetCrossEntropyLoss(kind: pair.ClassCount == 2 ? LogitKind.BinarySingleLogit : LogitKind.Multiclass)),
        new(DistillationMethod.Dkd, "dkd", [], new("Zhao et al.", "Decoupled Knowledge Distillation", "CVPR", 2022), 1,
            pair => pair.ClassCount == 2 ? new BinaryAsTwoClassLoss(new DecoupledKnowledgeDistillationLoss()) : new DecoupledKnowledgeDistillationLoss()),
        new(DistillationMethod.FitNet, "fitnet", ["hint"], new("Romero et al.", "FitNets: Hints for Thin Deep Nets", "ICLR", 2015), 100,
            pair => new FitNetLoss(LayerPair.Last, pair.Student.Widths[^1], pair.Teacher.Widths[^1], device: pair.Device)),
        new(DistillationMethod.AttentionTransfer, "at", ["attention"], new("Zagoruyko & Komodakis",
            "Paying More Attention to Attention: Improving the Performance of Convolutional Neural Networks via Attention Transfer", "ICLR", 2017), 1000,
            pair => new AttentionTransferLoss(DeepestPairs(pair.Student, pair.Teacher))),
        new(DistillationMethod.Overhaul, "ofd", [], new("Heo et al.", "A Comprehensive Overhaul of Feature Distillation", "ICCV", 2019), 1,
            pair => new OverhaulDistillationLoss(LayerPair.Last, pair.Student.Widths[^1], OverhaulMargins.FromBatchNorm(pair.Teacher.Blocks[^1].Norm), device: pair.Device)),
        new(DistillationMethod.SimilarityPreserving, "sp", ["similarity"], new("Tung & Mori", "Similarity-Preserving Knowledge Distillation", "ICCV", 2019), 3000,
            pair => new SimilarityPreservingLoss(DeepestPairs(pair.Student, pair.Teacher))),
        new(DistillationMethod.Relational, "rkd", [], new("Park et al.", "Relational Knowledge Distillation", "CVPR", 2019), 1,
            _ => new RelationalKnowledgeDistillationLoss(LayerPair.Last)),
        new(DistillationMethod.ProbabilisticTransfer, "pkt", [], new("Passalis & Tefas",
            "Learning Deep Representations with Probabilistic Knowledge Transfer", "ECCV", 2018), 30000,
            _ => new ProbabilisticKnowledgeTransferLoss(LayerPair.Last)),
        new(DistillationMethod.NeuronSelectivity, "nst", [], new("Huang & Wang",
            "Like What You Like: Knowledge Distill via Neuron Selectivity Transfer", "arXiv", 2017), 50,
            _ => throw new NotSupportedException(
                "NST compares neurons' selectivity over positions of a feature map [B, C, L]; MLP features [B, C] have no positions " +
                "(every kernel value would be 1 and the loss 0). Use it with the 1-D conv models, or pick RKD, PKT, SP or CC for MLPs.")),
        new(DistillationMethod.CorrelationCongruence, "cc", ["correlation"], new("Peng et al.", "Correlation Congruence for Knowledge Distillation", "ICCV", 2019), 0.02,
            pair => new CorrelationCongruenceLoss(LayerPair.Last, pair.Student.Widths[^1], pair.Teacher.Widths[^1], device: pair.Device)),
        new(DistillationMethod.VariationalInformation, "vid", [], new("Ahn et al.", "Variational Information Distillation for Knowledge Transfer", "CVPR", 2019), 1,
            pair => new VariationalInformationDistillationLoss(LayerPair.Last, pair.Student.Widths[^1], pair.Teacher.Widths[^1], device: pair.Device)),
        new(DistillationMethod.FactorTransfer, "ft", ["factor"], new("Kim, Park & Kwak",
            "Paraphrasing Complex Network: Network Compression via Factor Transfer", "NeurIPS", 2018), 200, FactorTransfer),
        new(DistillationMethod.ActivationBoundaries, "ab", ["abound"], new("Heo et al.",
            "Knowledge Transfer via Distillation of Activation Boundaries Formed by Hidden Neurons", "AAAI", 2019), 1,
            pair => new ActivationBoundariesLoss(LayerPair.Last, pair.Student.Widths[^1], pair.Teacher.Widths[^1], device: pair.Device)),
        new(DistillationMethod.FlowOfSolution, "fsp", [], new("Yim et al.",
            "A Gift from Knowledge Distillation: Fast Optimization, Network Minimization and Transfer Learning", "CVPR", 2017), 50,
            pair => FlowOfSolution(pair.Student, pair.Teacher)),
        new(DistillationMethod.Crd, "crd", [], new("Tian, Krishnan & Isola", "Contrastive Representation Distillation", "ICLR", 2020), 0.8, pair => Crd(pair)),
    ];

    /// <summary>The registry's entry of <paramref name="method"/>.</summary>
    /// <exception cref="ArgumentException"><see cref="DistillationMethod.None"/> (no method) or a value outside the enum.</exception>
    public static MlpMethod Method(DistillationMethod method)
        => Methods.FirstOrDefault(m => m.Method == method) ?? throw new ArgumentException(method == DistillationMethod.None
            ? "None is no distillation method: use MethodSpec.None (the spec 'none') for a student trained from its labels alone."
            : $"Unknown distillation method {method}.", nameof(method));

    /// <summary>The default weight of <paramref name="method"/>'s term (RepDistiller's scripts); 0 for <see cref="DistillationMethod.None"/>.</summary>
    public static double DefaultWeight(DistillationMethod method) => method == DistillationMethod.None ? 0 : Method(method).DefaultWeight;

    /// <summary>The terms for <paramref name="method"/> (empty for <see cref="DistillationMethod.None"/>), as
    /// <see cref="MethodSpec.Of"/> gives them.</summary>
    /// <param name="method">The method.</param>
    /// <param name="pair">Student, teacher and training rows.</param>
    /// <param name="weight">Weight of the term; the method's default when null.</param>
    public static IReadOnlyList<DistillationTerm> Terms(DistillationMethod method, MlpPair pair, double? weight = null)
        => MethodSpec.Of(method, weight).Build(pair);

    /// <summary>Pairs the deepest blocks of both networks from the end: (-1,-1), (-2,-2), ... as many as the shallower has.</summary>
    public static IReadOnlyList<LayerPair> DeepestPairs(Mlp student, Mlp teacher)
        => Enumerable.Range(1, Math.Min(student.Blocks.Count, teacher.Blocks.Count)).Select(k => new LayerPair(-k, -k)).Reverse().ToArray();

    private static FactorTransferLoss FactorTransfer(MlpPair pair)
    {
        int studentWidth = pair.Student.Widths[^1], teacherWidth = pair.Teacher.Widths[^1];
        // The paraphraser learns the teacher's factors before the student trains (Kim et al. 2018, Sec. 3.1).
        var paraphraser = new Paraphraser(teacherWidth, FactorTransferLayout.Vector, device: pair.Device);
        Tensor features;
        using (no_grad())
        {
            pair.Teacher.eval();
            features = pair.Teacher.ForwardFeatures(pair.TrainTeacherInput).Features[^1].detach();
        }
        paraphraser.Pretrain(features, ParaphraserSteps);
        return new FactorTransferLoss(LayerPair.Last, paraphraser, new Translator(studentWidth, paraphraser.FactorChannels, FactorTransferLayout.Vector, pair.Device));
    }

    private static FlowOfSolutionProcedureLoss FlowOfSolution(Mlp student, Mlp teacher)
    {
        if (student.Blocks.Count < 2 || !student.Widths.Skip(1).TakeLast(2).SequenceEqual(teacher.Widths.Skip(1).TakeLast(2)))
            throw new NotSupportedException(
                $"FSP matches the student's and the teacher's Gram matrices between consecutive blocks, so the last two blocks must have " +
                $"equal widths in both networks (student [{string.Join(", ", student.Widths.Skip(1))}], teacher [{string.Join(", ", teacher.Widths.Skip(1))}]).");
        return new FlowOfSolutionProcedureLoss([new LayerPair(-2, -2), new LayerPair(-1, -1)]);
    }

    /// <summary>CRD on the last hidden features of the pair, negatives drawn from the other classes, with K capped at the
    /// training rows minus one (<see cref="CrdOptions.CappedTo"/>, where every CRD builder caps it).</summary>
    /// <remarks>RepDistiller draws K = 16384 negatives from a 50000-image set; a small table has far fewer rows, so K is capped
    /// at N − 1 (negatives of other classes are then drawn with replacement, as the reference does).</remarks>
    /// <param name="pair">Student, teacher and training rows.</param>
    /// <param name="options">CRD options (Tian et al.'s defaults when null); <see cref="CrdOptions.Negatives"/> is capped at N − 1.</param>
    public static CrdLoss Crd(MlpPair pair, CrdOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pair);
        options ??= new CrdOptions();
        long rows = pair.TrainTargets.shape[0];
        var capped = options.CappedTo(rows);
        return new CrdLoss(pair.Student.Widths[^1], pair.Teacher.Widths[^1], rows, capped, labels: pair.TrainTargets, device: pair.Device);
    }
}
