namespace Distill.Experiments;

/// <summary>The figures the BeatGAN distillation lab notes reported (the seed document "7th meeting", 2021-11-17), as
/// printed there: what notebook 05 reads beside its own runs.</summary>
/// <remarks>Each is one run of one seed, on the authors' MIT-BIH setting, with F1 at the threshold that maximised it on the
/// test labels. The notes' KD term was built from NumPy scores and carried no gradient (and their negative-cross-entropy
/// version returned a vector), so differences between these runs are not effects of distillation.</remarks>
public static class BeatGanLabNotes
{
    /// <summary>Test AUC the notes attribute to the student trained with their "KL" term.</summary>
    public const double KlAuc = 0.9474;

    /// <summary>Test AUC with the negative soft-target cross-entropy.</summary>
    public const double NegativeCrossEntropyAuc = 0.9348;

    /// <summary>Test AP with the negative soft-target cross-entropy.</summary>
    public const double NegativeCrossEntropyAp = 0.9017;

    /// <summary>Best test F1 (threshold chosen on the test labels) with the negative soft-target cross-entropy.</summary>
    public const double NegativeCrossEntropyBestF1 = 0.8020;

    /// <summary>Test AUC with KD and feature distillation (attention maps of D's features).</summary>
    public const double FeatureDistillationAuc = 0.9472;

    /// <summary>Test AP with KD and feature distillation.</summary>
    public const double FeatureDistillationAp = 0.9145;

    /// <summary>Best test F1 (threshold chosen on the test labels) with KD and feature distillation.</summary>
    public const double FeatureDistillationBestF1 = 0.8201;
}
