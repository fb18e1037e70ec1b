namespace Distill.Data;

/// <summary>Finds the data sets embedded with the library (the repository's <c>data/</c> folder).</summary>
/// <remarks>
/// The build copies <c>data/</c> next to <c>Distill.Lib.dll</c>, so tests, the benchmark, the command line and
/// notebooks (which reference the built DLL) all find it there. A checkout's own <c>data/</c> is the fallback
/// for tools run from the repository root.
/// </remarks>
public static class ProjectData
{
    /// <summary>The folder holding the embedded data sets.</summary>
    public static string Root { get; } = Locate();

    /// <summary>Full path of a file under the embedded data folder; throws naming the path when it is missing.</summary>
    public static string File(params string[] relative)
    {
        string path = Path.Combine([Root, .. relative]);
        if (!System.IO.File.Exists(path))
            throw new FileNotFoundException(
                $"Embedded data file '{path}' is missing. Rebuild Distill.Lib (the build copies data/ next to the DLL) " +
                "or restore data/ from the repository.", path);
        return path;
    }

    private static string Locate()
    {
        string beside = Path.Combine(Path.GetDirectoryName(typeof(ProjectData).Assembly.Location) ?? AppContext.BaseDirectory, "data");
        if (Directory.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir != null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "data");
            if (System.IO.File.Exists(Path.Combine(dir.FullName, "Distill.Lib.csproj")) && Directory.Exists(candidate))
                return candidate;
        }
        throw new DirectoryNotFoundException(
            $"Distill's data folder was not found next to {typeof(ProjectData).Assembly.Location} nor in a parent checkout. Rebuild Distill.Lib.");
    }
}
