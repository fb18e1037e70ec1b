namespace Distill.Distillation;

/// <summary>The typed keys of the tabular distillation methods; <see cref="MlpDistillation.Methods"/> gives each its spec name,
/// paper, default weight and builder, and <see cref="MethodSpec"/> combines them.</summary>
/// <remarks>Kept beside the registry so that C# callers (notebooks, benchmarks, sweeps) name a method with a compile-time check;
/// specs in text (<c>kd+fitnet=100</c>) read these names too, case-insensitively.</remarks>
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

    /// <summary>Neuron selectivity transfer (Huang and Wang, 2017); needs features with a length axis [B, C, L].</summary>
    NeuronSelectivity,

    /// <summary>Correlation congruence (Peng et al., ICCV 2019).</summary>
    CorrelationCongruence,

    /// <summary>Variational information distillation (Ahn et al., CVPR 2019).</summary>
    VariationalInformation,

    /// <summary>Factor transfer (Kim et al., NeurIPS 2018), with a paraphraser pretrained on the teacher's features.</summary>
    FactorTransfer,

    /// <summary>Activation boundaries (Heo et al., AAAI 2019).</summary>
    ActivationBoundaries,

    /// <summary>Flow of solution procedure (Yim et al., CVPR 2017); needs equal student/teacher widths.</summary>
    FlowOfSolution,

    /// <summary>Contrastive representation distillation (Tian et al., ICLR 2020).</summary>
    Crd,
}
