using Distill.Losses;
using Distill.Losses.Crd;
using Distill.Losses.Feature;
using Distill.Models;
using static TorchSharp.torch;

namespace Distill.Distillation;

/// <summary>What the learned or data-dependent parts of a method need to be built: the pair and the training rows.</summary>
/// <param name="Student">The student (its widths size the learned parts).</param>
/// <param name="Teacher">The trained teacher (BatchNorm statistics for OFD, features for FT's paraphraser).</param>
/// <param name="ClassCount">Number of classes of the task (2 means one logit).</param>
/// <param name="TrainTeacherInput">The training rows as the teacher reads them [N, teacher columns].</param>
/// <param name="TrainTargets">Labels of the training rows [N] (CRD draws negatives from other classes).</param>
public sealed record MlpPair(Mlp Student, Mlp Teacher, int ClassCount, Tensor TrainTeacherInput, Tensor TrainTargets);

/// <summary>Builds the distillation terms of a <see cref="DistillationMethod"/> for an MLP teacher/student pair.</summary>
/// <remarks>
/// Which layers are paired: logit methods read the outputs; single-pair feature methods read the last hidden block of
/// both networks (the penultimate representation, as RepDistiller does); attention transfer and similarity preserving
/// pair the deepest blocks from the end, as many as the shallower network has. OFD takes its margins from the teacher's
/// BatchNorm of the paired block. Weights are RepDistiller's defaults for each method (its training scripts' <c>-b</c>),
/// with the task loss at weight 1; they were tuned for CIFAR-100 CNNs and are a starting point, not an optimum.
/// NST and FSP are not defined for these pairs (MLP features have no length axis; FSP needs equal widths) and say so.
/// </remarks>
public static class MlpDistillation
{
    /// <summary>Steps of FT's paraphraser pretraining on the teacher's features (full batch).</summary>
    public const int ParaphraserSteps = 200;

    /// <summary>The default weight of each method's term (RepDistiller's scripts).</summary>
    public static double DefaultWeight(DistillationMethod method) => method switch
    {
        DistillationMethod.None => 0,
        DistillationMethod.Kd or DistillationMethod.NegativeCrossEntropy or DistillationMethod.Dkd => 1,
        DistillationMethod.FitNet => 100,
        DistillationMethod.AttentionTransfer => 1000,
        DistillationMethod.Overhaul => 1,
        DistillationMethod.SimilarityPreserving => 3000,
        DistillationMethod.Relational => 1,
        DistillationMethod.ProbabilisticTransfer => 30000,
        DistillationMethod.NeuronSelectivity => 50,
        DistillationMethod.CorrelationCongruence => 0.02,
        DistillationMethod.VariationalInformation => 1,
        DistillationMethod.FactorTransfer => 200,
        DistillationMethod.ActivationBoundaries => 1,
        DistillationMethod.FlowOfSolution => 50,
        DistillationMethod.Crd => 0.8,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown distillation method."),
    };

    /// <summary>The terms for <paramref name="method"/> (empty for <see cref="DistillationMethod.None"/>).</summary>
    /// <param name="method">The method.</param>
    /// <param name="pair">Student, teacher and training rows.</param>
    /// <param name="weight">Weight of the term; the method's default when null.</param>
    public static IReadOnlyList<DistillationTerm> Terms(DistillationMethod method, MlpPair pair, double? weight = null)
    {
        var (student, teacher) = (pair.Student, pair.Teacher);
        int studentWidth = student.Widths[^1], teacherWidth = teacher.Widths[^1];
        bool binary = pair.ClassCount == 2;
        IDistillationLoss? loss = method switch
        {
            DistillationMethod.None => null,
            DistillationMethod.Kd => binary ? new BinaryKnowledgeDistillationLoss() : new KnowledgeDistillationLoss(),
            DistillationMethod.NegativeCrossEntropy => new NegativeSoftTargetCrossEntropyLoss(kind: binary ? LogitKind.BinarySingleLogit : LogitKind.Multiclass),
            DistillationMethod.Dkd => binary ? new BinaryAsTwoClassLoss(new DecoupledKnowledgeDistillationLoss()) : new DecoupledKnowledgeDistillationLoss(),
            DistillationMethod.FitNet => new FitNetLoss(LayerPair.Last, studentWidth, teacherWidth),
            DistillationMethod.AttentionTransfer => new AttentionTransferLoss(DeepestPairs(student, teacher)),
            DistillationMethod.Overhaul => new OverhaulDistillationLoss(LayerPair.Last, studentWidth,
                                                                        OverhaulMargins.FromBatchNorm(teacher.Blocks[^1].Norm)),
            DistillationMethod.SimilarityPreserving => new SimilarityPreservingLoss(DeepestPairs(student, teacher)),
            DistillationMethod.Relational => new RelationalKnowledgeDistillationLoss(LayerPair.Last),
            DistillationMethod.ProbabilisticTransfer => new ProbabilisticKnowledgeTransferLoss(LayerPair.Last),
            DistillationMethod.NeuronSelectivity => throw new NotSupportedException(
                "NST compares neurons' selectivity over positions of a feature map [B, C, L]; MLP features [B, C] have no positions " +
                "(every kernel value would be 1 and the loss 0). Use it with the 1-D conv models, or pick RKD, PKT, SP or CC for MLPs."),
            DistillationMethod.CorrelationCongruence => new CorrelationCongruenceLoss(LayerPair.Last, studentWidth, teacherWidth),
            DistillationMethod.VariationalInformation => new VariationalInformationDistillationLoss(LayerPair.Last, studentWidth, teacherWidth),
            DistillationMethod.FactorTransfer => FactorTransfer(pair, studentWidth, teacherWidth),
            DistillationMethod.ActivationBoundaries => new ActivationBoundariesLoss(LayerPair.Last, studentWidth, teacherWidth),
            DistillationMethod.FlowOfSolution => FlowOfSolution(student, teacher),
            DistillationMethod.Crd => Crd(pair, studentWidth, teacherWidth),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown distillation method."),
        };
        return loss is null ? [] : [new DistillationTerm(loss, weight ?? DefaultWeight(method))];
    }

    /// <summary>Pairs the deepest blocks of both networks from the end: (-1,-1), (-2,-2), ... as many as the shallower has.</summary>
    public static IReadOnlyList<LayerPair> DeepestPairs(Mlp student, Mlp teacher)
        => Enumerable.Range(1, Math.Min(student.Blocks.Count, teacher.Blocks.Count)).Select(k => new LayerPair(-k, -k)).Reverse().ToArray();

    private static FactorTransferLoss FactorTransfer(MlpPair pair, int studentWidth, int teacherWidth)
    {
        // The paraphraser learns the teacher's factors before the student trains (Kim et al. 2018, Sec. 3.1).
        var paraphraser = new Paraphraser(teacherWidth, FactorTransferLayout.Vector);
        Tensor features;
        using (no_grad())
        {
            pair.Teacher.eval();
            features = pair.Teacher.ForwardFeatures(pair.TrainTeacherInput).Features[^1].detach();
        }
        paraphraser.Pretrain(features, ParaphraserSteps);
        return new FactorTransferLoss(LayerPair.Last, paraphraser, new Translator(studentWidth, paraphraser.FactorChannels, FactorTransferLayout.Vector));
    }

    private static FlowOfSolutionProcedureLoss FlowOfSolution(Mlp student, Mlp teacher)
    {
        if (student.Blocks.Count < 2 || !student.Widths.Skip(1).TakeLast(2).SequenceEqual(teacher.Widths.Skip(1).TakeLast(2)))
            throw new NotSupportedException(
                $"FSP matches the student's and the teacher's Gram matrices between consecutive blocks, so the last two blocks must have " +
                $"equal widths in both networks (student [{string.Join(", ", student.Widths.Skip(1))}], teacher [{string.Join(", ", teacher.Widths.Skip(1))}]).");
        return new FlowOfSolutionProcedureLoss([new LayerPair(-2, -2), new LayerPair(-1, -1)]);
    }

    private static CrdLoss Crd(MlpPair pair, int studentWidth, int teacherWidth)
    {
        // RepDistiller draws K = 16384 negatives from a 50000-image set; a small table has far fewer rows, so K is capped
        // at the training rows (negatives of other classes are then drawn with replacement, as the reference does).
        long rows = pair.TrainTargets.shape[0];
        var options = new CrdOptions(Negatives: (int)Math.Min(16384, rows - 1));
        return new CrdLoss(studentWidth, teacherWidth, rows, options, labels: pair.TrainTargets);
    }
}
