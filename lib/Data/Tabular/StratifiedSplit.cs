namespace Distill.Data.Tabular;

/// <summary>Fractions of a train/validation/test split; the test fraction is what remains.</summary>
/// <param name="Train">Fraction of each class for training.</param>
/// <param name="Validation">Fraction of each class for validation (model selection, LR schedule, early stop).</param>
public sealed record SplitFractions(double Train = 0.6, double Validation = 0.2)
{
    /// <summary>Fraction of each class held out for the final test.</summary>
    public double Test => 1 - Train - Validation;
}

/// <summary>Row indices of the three splits.</summary>
public sealed record SplitIndices(int[] Train, int[] Validation, int[] Test);

/// <summary>Stratified, seeded train/validation/test split: every split keeps the class proportions.</summary>
public static class StratifiedSplit
{
    /// <summary>Splits row indices class by class after a seeded shuffle.</summary>
    public static SplitIndices Create(IReadOnlyList<int> labels, SplitFractions fractions, int seed)
    {
        if (fractions.Train <= 0 || fractions.Validation < 0 || fractions.Test <= 0)
            throw new ArgumentException(
                $"Split fractions train {fractions.Train}, validation {fractions.Validation}, test {fractions.Test:0.###} are invalid: " +
                "train and test must be positive and the three must sum to 1.", nameof(fractions));
        var rng = new Random(seed);
        List<int> train = [], validation = [], test = [];
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i]).OrderBy(g => g.Key))
        {
            int[] rows = group.ToArray();
            rng.Shuffle(rows);
            int nTrain = (int)Math.Round(rows.Length * fractions.Train);
            int nValidation = (int)Math.Round(rows.Length * fractions.Validation);
            if (nTrain == 0 || rows.Length - nTrain - nValidation <= 0)
                throw new ArgumentException(
                    $"Class {group.Key} has only {rows.Length} rows: too few for a {fractions.Train}/{fractions.Validation}/{fractions.Test:0.###} split.");
            train.AddRange(rows[..nTrain]);
            validation.AddRange(rows[nTrain..(nTrain + nValidation)]);
            test.AddRange(rows[(nTrain + nValidation)..]);
        }
        // Interleave classes so consecutive rows are not all of one class.
        int[] Shuffled(List<int> rows) { var a = rows.ToArray(); rng.Shuffle(a); return a; }
        return new SplitIndices(Shuffled(train), Shuffled(validation), Shuffled(test));
    }
}
