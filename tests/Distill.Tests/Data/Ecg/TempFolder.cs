namespace Distill.Tests.Data.Ecg;

/// <summary>A scratch folder removed when the test ends; can start as a copy of the embedded record 100.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "distill-ecg-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public static TempFolder WithRecord100()
    {
        var folder = new TempFolder();
        foreach (var ext in new[] { "hea", "dat", "atr" })
            System.IO.File.Copy(Distill.Data.ProjectData.File("mitdb", "100." + ext), folder.File("100." + ext));
        return folder;
    }

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
