using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Models;

namespace Distill.Distillation;

/// <summary>Builds the distillation terms of a <see cref="DistillationMethod"/> for an MLP teacher/student pair.</summary>
/// <remarks>
/// Which layers are paired: logit methods read the outputs; single-pair feature methods read the last hidden block of
/// both networks (the penultimate representation, as RepDistiller does); attention transfer and similarity preserving
/// pair the deepest blocks from the end, as many as the shallower network has. OFD takes its margins from the teacher's
/// BatchNorm of the paired block. Weights are RepDistiller's defaults for each method (its training scripts' <c>-b</c>),
/// with the task loss at weight 1; they were tuned for CIFAR-100 CNNs and are a starting point, not an optimum.
/// </remarks>
public static class MlpDistillation
{
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
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown distillation method."),
    };

    /// <summary>The terms for <paramref name="method"/> (empty for <see cref="DistillationMethod.None"/>).</summary>
    /// <param name="method">The method.</param>
    /// <param name="student">The student (its widths size the learned parts).</param>
    /// <param name="teacher">The trained teacher (its BatchNorm statistics give OFD's margins).</param>
    /// <param name="classCount">Number of classes of the task (2 means one logit).</param>
    /// <param name="weight">Weight of the term; the method's default when null.</param>
    public static IReadOnlyList<DistillationTerm> Terms(DistillationMethod method, Mlp student, Mlp teacher, int classCount, double? weight = null)
    {
        bool binary = classCount == 2;
        IDistillationLoss? loss = method switch
        {
            DistillationMethod.None => null,
            DistillationMethod.Kd => binary ? new BinaryKnowledgeDistillationLoss() : new KnowledgeDistillationLoss(),
            DistillationMethod.NegativeCrossEntropy => new NegativeSoftTargetCrossEntropyLoss(kind: binary ? LogitKind.BinarySingleLogit : LogitKind.Multiclass),
            DistillationMethod.Dkd => binary ? new BinaryAsTwoClassLoss(new DecoupledKnowledgeDistillationLoss()) : new DecoupledKnowledgeDistillationLoss(),
            DistillationMethod.FitNet => new FitNetLoss(LayerPair.Last, student.Widths[^1], teacher.Widths[^1]),
            DistillationMethod.AttentionTransfer => new AttentionTransferLoss(DeepestPairs(student, teacher)),
            DistillationMethod.Overhaul => new OverhaulDistillationLoss(LayerPair.Last, student.Widths[^1],
                                                                        OverhaulMargins.FromBatchNorm(teacher.Blocks[^1].Norm)),
            DistillationMethod.SimilarityPreserving => new SimilarityPreservingLoss(DeepestPairs(student, teacher)),
            DistillationMethod.Relational => new RelationalKnowledgeDistillationLoss(LayerPair.Last),
            DistillationMethod.ProbabilisticTransfer => new ProbabilisticKnowledgeTransferLoss(LayerPair.Last),
            _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown distillation method."),
        };
        return loss is null ? [] : [new DistillationTerm(loss, weight ?? DefaultWeight(method))];
    }

    /// <summary>Pairs the deepest blocks of both networks from the end: (-1,-1), (-2,-2), ... as many as the shallower has.</summary>
    public static IReadOnlyList<LayerPair> DeepestPairs(Mlp student, Mlp teacher)
        => Enumerable.Range(1, Math.Min(student.Blocks.Count, teacher.Blocks.Count)).Select(k => new LayerPair(-k, -k)).Reverse().ToArray();
}
