using Distill.Distillation;
using Distill.Losses;
using Distill.Losses.BeatGan;
using Distill.Losses.Crd;
using Distill.Losses.Feature;
using Distill.Models.BeatGan;
using Distill.Runtime;

namespace Distill.Distillation.BeatGan;

/// <summary>The distillation terms a BeatGAN student can be trained with.</summary>
public enum BeatGanKdTerm
{
    /// <summary>Reconstruction distillation, <see cref="ReconstructionDistillationLoss"/>.</summary>
    Reconstruction,
    /// <summary>Anomaly-score distribution KD over the batch, <see cref="AnomalyScoreDistillationLoss"/>.</summary>
    AnomalyScore,
    /// <summary>Latent-code regression, <see cref="LatentDistillationLoss"/>.</summary>
    Latent,
    /// <summary>Attention transfer on the generator encoder's five blocks (<see cref="AttentionTransferLoss"/>).</summary>
    EncoderAttention,
    /// <summary>Attention transfer through the teacher discriminator, <see cref="DiscriminatorAttentionTransferLoss"/>.</summary>
    DiscriminatorAttention,
    /// <summary>Contrastive representation distillation on the latent codes (<see cref="CrdLoss"/> at
    /// <see cref="BeatGanGenerator.LatentIndex"/>, options from <see cref="BeatGanKdTerms.LatentCrdOptions"/>).</summary>
    LatentContrastive,
    /// <summary>The lab notes' gradient-free KL on copied scores, <see cref="ConstantScoreKdLoss"/>.</summary>
    ConstantKd,
}

/// <summary>The registry of the BeatGAN distillation terms: each <see cref="BeatGanKdTerm"/>'s spec name, default weight and the
/// builder of its loss for a student/teacher pair.</summary>
public static class BeatGanKdTerms
{
    /// <summary>Attention transfer pairs of the encoder blocks 1-5 of two generator passes (LayerPair indices 0-4).</summary>
    public static IReadOnlyList<LayerPair> EncoderPairs { get; } =
        Enumerable.Range(0, BeatGanOptions.DownsamplingBlocks).Select(k => new LayerPair(k, k)).ToArray();

    // The student's and the teacher's sizes, the teacher discriminator (d-at) and the training-set size (crd's memory bank).
    private sealed record Entry(string Name, double DefaultWeight,
                                Func<BeatGanOptions, BeatGanOptions, BeatGanDiscriminator, long, DistillationLoss> Build);

    // Weights put each term's gradient on the scale of the reconstruction MSE (see DefaultWeight).
    private static readonly Dictionary<BeatGanKdTerm, Entry> Registry = new()
    {
        [BeatGanKdTerm.Reconstruction] = new("rec-kd", 1.0, (_, _, _, _) => new ReconstructionDistillationLoss()),
        [BeatGanKdTerm.AnomalyScore] = new("score-kd", 100.0, (_, _, _, _) => new AnomalyScoreDistillationLoss()),
        [BeatGanKdTerm.Latent] = new("latent", 1.0, (student, teacher, discriminator, _) => new LatentDistillationLoss(student.LatentSize, teacher.LatentSize, DistillDevice.Of(discriminator))),
        [BeatGanKdTerm.EncoderAttention] = new("at", 100.0, (_, _, _, _) => new AttentionTransferLoss(EncoderPairs)),
        [BeatGanKdTerm.DiscriminatorAttention] = new("d-at", 100.0, (_, _, discriminator, _) => new DiscriminatorAttentionTransferLoss(discriminator)),
        [BeatGanKdTerm.LatentContrastive] = new("crd", 0.01, (student, teacher, discriminator, beats) =>
            new CrdLoss(student.LatentSize, teacher.LatentSize, beats, LatentCrdOptions(beats), device: DistillDevice.Of(discriminator))),
        [BeatGanKdTerm.ConstantKd] = new("const-kd", 1.0, (_, _, _, _) => new ConstantScoreKdLoss()),
    };

    /// <summary>The names specs use for the terms (<see cref="BeatGanKdStudent.Parse"/>, <see cref="SpecGrammar"/>).</summary>
    public static SpecVocabulary<BeatGanKdTerm> Vocabulary { get; } =
        new("BeatGAN distillation term", Enum.GetValues<BeatGanKdTerm>(), Name, DefaultWeight);

    /// <summary>The term's short name, the one its loss reports (<c>rec-kd</c>, <c>score-kd</c>, <c>latent</c>, <c>at</c>,
    /// <c>d-at</c>, <c>crd</c>, <c>const-kd</c>).</summary>
    public static string Name(BeatGanKdTerm term) => Of(term).Name;

    /// <summary>The term called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static BeatGanKdTerm? FromName(string name) => Vocabulary.TryFind(name ?? "", out var term) ? term : null;

    /// <summary>The weight a term gets unless told otherwise.</summary>
    /// <remarks>Weights put each term's gradient on the scale of the reconstruction MSE (about 1e-2 after a few epochs):
    /// AT maps are unit-normalised and their squared differences small (RepDistiller weights AT by 1000; 100 here), the
    /// score KD is scaled by T² with T = 0.01 (weight 100); CRD's NCE loss is O(10) with gradients to match, so 0.01
    /// (RepDistiller's β = 0.8 balances it against a cross-entropy of O(1), not an MSE of O(1e-2)). They were chosen once
    /// from the terms' magnitudes, not tuned on test beats; <c>Distill.Experiments.BeatGan.BeatGanKdWeightTuning</c> tunes them on validation beats.</remarks>
    public static double DefaultWeight(BeatGanKdTerm term) => Of(term).DefaultWeight;

    /// <summary>CRD options for the latent codes of a training set of <paramref name="trainBeats"/> beats.</summary>
    /// <remarks>
    /// Tian, Krishnan &amp; Isola, "Contrastive Representation Distillation", ICLR 2020: the paper's embedding size (128),
    /// temperature (0.07) and memory momentum (0.5), contrasting the codes z = G_E(x) of both generators
    /// (<see cref="BeatGanGenerator.LatentIndex"/>). Deviations, because BeatGAN trains on unlabelled normal beats:
    /// positives are the beat itself (instance contrast, the paper's default) and negatives are uniform over the
    /// training beats; K is the paper's 16384 capped at N − 1, so a small training set is not sampled with heavy repetition.
    /// </remarks>
    public static CrdOptions LatentCrdOptions(long trainBeats)
        => new CrdOptions(Layers: new LayerPair(BeatGanGenerator.LatentIndex, BeatGanGenerator.LatentIndex)).CappedTo(trainBeats);

    /// <summary>The loss of <paramref name="term"/>; the teacher discriminator is used (and frozen) only by
    /// <see cref="BeatGanKdTerm.DiscriminatorAttention"/>, the training-set size only by <see cref="BeatGanKdTerm.LatentContrastive"/>
    /// (its memory bank holds one row per training beat; the trainer passes each batch's row indices).</summary>
    public static DistillationLoss Create(BeatGanKdTerm term, BeatGanOptions student, BeatGanOptions teacher, BeatGanDiscriminator teacherDiscriminator,
        long trainBeats)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(teacherDiscriminator);
        return Of(term).Build(student, teacher, teacherDiscriminator, trainBeats);
    }

    private static Entry Of(BeatGanKdTerm term)
        => Registry.TryGetValue(term, out var entry) ? entry : throw new ArgumentOutOfRangeException(nameof(term), term, "Unknown BeatGAN distillation term.");
}
