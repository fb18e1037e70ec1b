namespace Distill.Distillation;

/// <summary>The distillation methods a student can be trained with; <see cref="MlpDistillation"/> builds their terms.</summary>
public enum DistillationMethod
{
    /// <summary>No distillation: the student learns from the labels alone (the baseline).</summary>
    None,

    /// <summary>Hinton et al. 2015: KL between temperature-softened outputs (Bernoulli form for one logit).</summary>
    Kd,

    /// <summary>The lab notes' negative soft-target cross-entropy (Li and Hoiem, LwF).</summary>
    NegativeCrossEntropy,

    /// <summary>Decoupled KD (Zhao et al., CVPR 2022): target-class and non-target-class parts weighted separately.</summary>
    Dkd,

    /// <summary>FitNets hints (Romero et al., ICLR 2015) through a learned regressor.</summary>
    FitNet,

    /// <summary>Attention transfer (Zagoruyko and Komodakis, ICLR 2017).</summary>
    AttentionTransfer,

    /// <summary>A Comprehensive Overhaul of Feature Distillation (Heo et al., ICCV 2019).</summary>
    Overhaul,

    /// <summary>Similarity-preserving KD (Tung and Mori, ICCV 2019).</summary>
    SimilarityPreserving,

    /// <summary>Relational KD, distance and angle (Park et al., CVPR 2019).</summary>
    Relational,

    /// <summary>Probabilistic knowledge transfer (Passalis and Tefas, ECCV 2018).</summary>
    ProbabilisticTransfer,
}
