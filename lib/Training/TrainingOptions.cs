namespace Distill.Training;

/// <summary>ReduceLROnPlateau settings; the defaults are the seed's (mode max on validation F1, halve, patience 1).</summary>
/// <param name="Factor">Multiplier applied to the learning rate on a plateau.</param>
/// <param name="Patience">Epochs without improvement before the rate is reduced.</param>
/// <param name="Threshold">Absolute improvement that counts as progress.</param>
/// <param name="MinLearningRate">Floor of the learning rate.</param>
public sealed record PlateauSchedule(double Factor = 0.5, int Patience = 1, double Threshold = 1e-4, double MinLearningRate = 1e-6);

/// <summary>Settings of a supervised training run.</summary>
/// <param name="Epochs">Maximum number of epochs.</param>
/// <param name="BatchSize">Rows per mini-batch.</param>
/// <param name="LearningRate">Adam's initial learning rate.</param>
/// <param name="WeightDecay">Adam's L2 penalty (the seed's "reg").</param>
/// <param name="EarlyStoppingPatience">Stop after this many epochs without a new best validation metric.</param>
/// <param name="Schedule">Learning-rate schedule on the validation metric.</param>
/// <param name="CacheTeacherPasses">For a distillation objective, compute the frozen teacher's pass on the training rows once
/// and read it by row (<see cref="Distillation.Distiller.CacheTeacher"/>); the results are bit-identical, off only to compare.
/// A teacher's own training has no teacher to cache.</param>
public sealed record TrainingOptions(int Epochs = 100, int BatchSize = 64, double LearningRate = 1e-3, double WeightDecay = 0,
                                     int EarlyStoppingPatience = 20, PlateauSchedule? Schedule = null, bool CacheTeacherPasses = true)
{
    /// <summary>The schedule in force (the seed's when none was given).</summary>
    public PlateauSchedule Plateau => Schedule ?? new PlateauSchedule();

    /// <summary>Throws a clear error for settings that cannot train.</summary>
    public void Validate()
    {
        if (Epochs < 1) throw new ArgumentOutOfRangeException(nameof(Epochs), $"Epochs must be at least 1, got {Epochs}.");
        if (BatchSize < 2) throw new ArgumentOutOfRangeException(nameof(BatchSize), $"Batch size must be at least 2 (BatchNorm), got {BatchSize}.");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), $"Learning rate must be a positive number, got {LearningRate}.");
        if (WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(WeightDecay), $"Weight decay must be >= 0, got {WeightDecay}.");
        if (EarlyStoppingPatience < 1)
            throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), $"Early-stopping patience must be at least 1, got {EarlyStoppingPatience}.");
    }
}
