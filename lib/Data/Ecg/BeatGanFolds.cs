namespace Distill.Data.Ecg;

/// <summary>How BeatGAN splits beats into folds; defaults are the paper's.</summary>
/// <param name="Folds">Number of folds (5): fold k holds out the k-th fifth of the shuffled normal beats for testing.</param>
/// <param name="ValidationFraction">Share of the training N beats and of each abnormal class moved to validation (0.1).</param>
/// <param name="Seed">Seed of the shuffles, so a split is reproducible.</param>
public sealed record BeatGanFoldOptions(int Folds = 5, double ValidationFraction = 0.1, int Seed = 0);

/// <summary>One BeatGAN fold: normal beats to train on, a validation set and a test set of normal and abnormal beats.</summary>
/// <param name="Fold">The fold index k.</param>
/// <param name="Train">Normal (AAMI N) beats only.</param>
/// <param name="Validation">10% of the training N beats and 10% of each abnormal class.</param>
/// <param name="Test">The held-out fifth of N beats and the remaining abnormal beats.</param>
public sealed record BeatGanSplit(int Fold, IReadOnlyList<EcgBeat> Train, IReadOnlyList<EcgBeat> Validation, IReadOnlyList<EcgBeat> Test)
{
    /// <summary>This split with at most <paramref name="maxTrainBeats"/> training beats: the first ones, which are a random
    /// subset because <see cref="BeatGanFolds.Split"/> shuffles the training beats; validation and test beats are never
    /// subsampled, so metrics stay comparable. Null keeps every training beat (the paper's protocol). Both
    /// <c>reproduce beatgan --max-train-beats</c> and the fold export take the subset here, so they hold the same beats.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTrainBeats"/> is below 1.</exception>
    public BeatGanSplit LimitTraining(int? maxTrainBeats)
    {
        if (maxTrainBeats is < 1)
            throw new ArgumentOutOfRangeException(nameof(maxTrainBeats), maxTrainBeats, "Train on at least one beat (or pass null for all of them).");
        return maxTrainBeats is int cap && cap < Train.Count ? this with { Train = Train.Take(cap).ToArray() } : this;
    }
}

/// <summary>BeatGAN's train/validation/test folds over segmented MIT-BIH beats.</summary>
/// <remarks>
/// Zhou B. et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019,
/// Section 4.1 and the authors' data loader: the model trains on normal beats only; the N beats are shuffled and cut
/// into 5 blocks of floor(n / 5) beats, fold k testing on block k (the n mod 5 left over always train); every abnormal
/// beat (S, V, F, Q) is a test beat; then 10% of the training N beats and 10% of each abnormal class go to validation
/// (scikit-learn's <c>train_test_split(test_size=0.1)</c>, which rounds the validation count up). The authors shuffle
/// once without a seed in preprocessing and split with random_state 0; here one seeded <see cref="Random"/> drives all
/// shuffles, in the order N, then the training N, then S, V, F, Q.
/// </remarks>
public static class BeatGanFolds
{
    /// <summary>Returns fold <paramref name="fold"/> of <paramref name="beats"/>.</summary>
    public static BeatGanSplit Split(IReadOnlyList<EcgBeat> beats, int fold, BeatGanFoldOptions? options = null)
    {
        options ??= new BeatGanFoldOptions();
        if (options.Folds < 2)
            throw new ArgumentOutOfRangeException(nameof(options), options.Folds, "BeatGAN needs at least 2 folds (the paper uses 5).");
        if (fold < 0 || fold >= options.Folds)
            throw new ArgumentOutOfRangeException(nameof(fold), fold, $"Fold must be in 0..{options.Folds - 1}.");
        if (!(options.ValidationFraction >= 0 && options.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(options), options.ValidationFraction, "ValidationFraction must be in [0, 1) (the paper uses 0.1).");

        var random = new Random(options.Seed);
        var normal = Shuffled(beats.Where(b => b.Class == AamiClass.N), random);
        int block = normal.Count / options.Folds;
        if (block == 0)
            throw new ArgumentException($"{normal.Count} normal beats cannot fill {options.Folds} folds; segment more records.", nameof(beats));

        var test = normal.GetRange(fold * block, block);
        var trainNormal = Shuffled(normal.Take(fold * block).Concat(normal.Skip((fold + 1) * block)), random);
        int held = ValidationCount(trainNormal.Count, options.ValidationFraction);
        var validation = trainNormal.GetRange(0, held);
        var train = trainNormal.GetRange(held, trainNormal.Count - held);
        foreach (var cls in Enum.GetValues<AamiClass>().Where(c => c.IsAbnormal()))
        {
            var abnormal = Shuffled(beats.Where(b => b.Class == cls), random);
            int v = ValidationCount(abnormal.Count, options.ValidationFraction);
            validation.AddRange(abnormal.Take(v));
            test.AddRange(abnormal.Skip(v));
        }
        return new BeatGanSplit(fold, train, validation, test);
    }

    // train_test_split rounds the held-out share up.
    private static int ValidationCount(int count, double fraction) => (int)Math.Ceiling(count * fraction);

    private static List<EcgBeat> Shuffled(IEnumerable<EcgBeat> beats, Random random)
    {
        var list = beats.ToList();
        for (int i = list.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (list[i], list[j]) = (list[j], list[i]);
        }
        return list;
    }
}
