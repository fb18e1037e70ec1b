namespace Distill.Data.Tabular;

/// <summary>A labelled table of numeric features, as read from disk (no scaling applied).</summary>
/// <param name="Name">Data set name, for messages and charts.</param>
/// <param name="Features">Row-major features, one array per row, all of length <see cref="FeatureCount"/>.</param>
/// <param name="Labels">Class index of each row, in <c>0..ClassNames.Count-1</c>.</param>
/// <param name="FeatureNames">Column names.</param>
/// <param name="ClassNames">Class names, indexed by label.</param>
public sealed record TabularTable(string Name, float[][] Features, int[] Labels, IReadOnlyList<string> FeatureNames, IReadOnlyList<string> ClassNames)
{
    /// <summary>Number of rows.</summary>
    public int RowCount => Labels.Length;

    /// <summary>Number of feature columns.</summary>
    public int FeatureCount => FeatureNames.Count;

    /// <summary>Number of rows of each class, indexed by label.</summary>
    public int[] ClassCounts()
    {
        var counts = new int[ClassNames.Count];
        foreach (int label in Labels) counts[label]++;
        return counts;
    }
}
