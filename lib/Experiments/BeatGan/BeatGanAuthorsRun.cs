namespace Distill.Experiments.BeatGan;

/// <summary>Figures of a run of the BeatGAN authors' own code on MIT-BIH fold 0 of 5 (100 epochs of 975 steps, batch 64,
/// Adam 1e-4, on a GPU), and the published figures, as the targets our reproduction is measured against.</summary>
/// <remarks>Zhou, Liu, Hooi, Cheng and Ye, "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series",
/// IJCAI 2019 (AUC "nearly 0.95"); the run's facts are those recorded with the shared copy of the database
/// (<c>mitdb-1.0.0/README.md</c>). Their F1 uses the threshold chosen on the test labels.</remarks>
public static class BeatGanAuthorsRun
{
    /// <summary>Normal training beats of fold 0.</summary>
    public const int TrainBeats = 62_436;

    /// <summary>Validation beats of fold 0 (every class).</summary>
    public const int ValidationBeats = 8_025;

    /// <summary>Test beats of fold 0 per AAMI class, in the order N, S, V, F, Q.</summary>
    public static IReadOnlyList<int> TestBeats { get; } = [17_343, 2_723, 6_307, 721, 13];

    /// <summary>Training steps of the authors' budget: 100 epochs of 975 steps.</summary>
    public const int Steps = 97_500;

    /// <summary>Steps per epoch of the full training fold at batch 64 (the last partial batch dropped).</summary>
    public const int StepsPerEpoch = 975;

    /// <summary>Their GPU's wall time per epoch, in seconds.</summary>
    public const double SecondsPerEpoch = 34;

    /// <summary>Test ROC AUC of the kept model.</summary>
    public const double TestAuc = 0.9404;

    /// <summary>Test average precision of the kept model.</summary>
    public const double TestAp = 0.9087;

    /// <summary>Best F1 over thresholds chosen on the test labels.</summary>
    public const double TestBestF1 = 0.8101;

    /// <summary>Validation AUC (BatchNorm in training mode) after the first epoch (975 steps).</summary>
    public const double ValidationAucAfterEpoch1 = 0.898;

    /// <summary>Validation AUC at their best epoch.</summary>
    public const double BestValidationAuc = 0.926;

    /// <summary>Their best epoch.</summary>
    public const int BestEpoch = 96;

    /// <summary>The paper's figure: AUC "nearly 0.95".</summary>
    public const double PaperAuc = 0.95;

    /// <summary>A later reproduction's AUC.</summary>
    public const double LaterReproductionAuc = 0.9458;

    /// <summary>A later reproduction's AP.</summary>
    public const double LaterReproductionAp = 0.9108;
}
