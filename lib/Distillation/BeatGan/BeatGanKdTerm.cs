using Distill.Distillation;
using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Models.BeatGan;

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
    /// <summary>The lab notes' gradient-free KL on copied scores, <see cref="ConstantScoreKdLoss"/>.</summary>
    ConstantKd,
}

/// <summary>Builds each <see cref="BeatGanKdTerm"/> for a given student/teacher pair.</summary>
public static class BeatGanKdTerms
{
    /// <summary>Attention transfer pairs of the encoder blocks 1-5 of two generator passes (LayerPair indices 0-4).</summary>
    public static IReadOnlyList<LayerPair> EncoderPairs { get; } =
        Enumerable.Range(0, BeatGanOptions.DownsamplingBlocks).Select(k => new LayerPair(k, k)).ToArray();

    /// <summary>The loss of <paramref name="term"/>; the teacher discriminator is used (and frozen) only by
    /// <see cref="BeatGanKdTerm.DiscriminatorAttention"/>.</summary>
    public static IDistillationLoss Create(BeatGanKdTerm term, BeatGanOptions student, BeatGanOptions teacher, BeatGanDiscriminator teacherDiscriminator)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(teacherDiscriminator);
        return term switch
        {
            BeatGanKdTerm.Reconstruction => new ReconstructionDistillationLoss(),
            BeatGanKdTerm.AnomalyScore => new AnomalyScoreDistillationLoss(),
            BeatGanKdTerm.Latent => new LatentDistillationLoss(student.LatentSize, teacher.LatentSize),
            BeatGanKdTerm.EncoderAttention => new AttentionTransferLoss(EncoderPairs),
            BeatGanKdTerm.DiscriminatorAttention => new DiscriminatorAttentionTransferLoss(teacherDiscriminator),
            BeatGanKdTerm.ConstantKd => new ConstantScoreKdLoss(),
            _ => throw new ArgumentOutOfRangeException(nameof(term), term, "Unknown BeatGAN distillation term."),
        };
    }
}
