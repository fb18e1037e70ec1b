using Distill.Data.Ecg;
using Distill.Tests.Notebooks;

namespace Distill.Tests.Data.Ecg;

/// <summary>The full MIT-BIH database when this machine has it: $DISTILL_MITDB, else ../shared/data/mitdb-1.0.0 beside the checkout.</summary>
internal static class FullMitBih
{
    public static string? Folder { get; } = Locate();

    private static string? Locate()
    {
        string? fromVariable = Environment.GetEnvironmentVariable(MitBih.CacheVariable);
        string shared = Path.GetFullPath(Path.Combine(NotebookRunner.RepositoryRoot, "..", "shared", "data", "mitdb-1.0.0"));
        return new[] { fromVariable, shared }.FirstOrDefault(f => f is { Length: > 0 } && MitBihSource.Locate(f).IsFullDatabase);
    }
}

/// <summary>A fact that runs only where the full MIT-BIH database is present; elsewhere it is reported as skipped, with the reason.</summary>
internal sealed class FullMitBihFactAttribute : FactAttribute
{
    public FullMitBihFactAttribute()
    {
        if (FullMitBih.Folder is null)
            Skip = $"The full MIT-BIH database is not on this machine (set {MitBih.CacheVariable} or put it in ../shared/data/mitdb-1.0.0); this check did not run.";
    }
}
