namespace Distill.Data.Tabular;

/// <summary>The columns one network reads: the teacher may see privileged features the student lacks.</summary>
/// <param name="Name">Name for messages and charts (for example "all 30" or "10 means").</param>
/// <param name="Columns">Column indices into the table.</param>
public sealed record FeatureView(string Name, IReadOnlyList<int> Columns)
{
    /// <summary>Every column of a table.</summary>
    public static FeatureView All(TabularTable table) => new($"all {table.FeatureCount}", Enumerable.Range(0, table.FeatureCount).ToArray());

    /// <summary>Checks the columns exist in the table.</summary>
    public void Validate(TabularTable table)
    {
        foreach (int c in Columns)
            if (c < 0 || c >= table.FeatureCount)
                throw new ArgumentOutOfRangeException(nameof(Columns),
                    $"View '{Name}' uses column {c}, but {table.Name} has columns 0..{table.FeatureCount - 1}.");
        if (Columns.Count == 0) throw new ArgumentException($"View '{Name}' has no columns.", nameof(Columns));
    }
}
