using Distill.Data;

namespace Distill.Tests.Data.Ecg;

/// <summary>Record 100 byte for byte as PhysioNet serves it: the embedded signal and annotation files, and PhysioNet's
/// header (Reference/mitdb_100_physionet.hea; the embedded header carries an extra comment and blank line on purpose).</summary>
internal static class PhysioNetRecord100
{
    public static Dictionary<string, byte[]> Files() => new()
    {
        ["100.hea"] = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Reference", "mitdb_100_physionet.hea")),
        ["100.dat"] = File.ReadAllBytes(ProjectData.File("mitdb", "100.dat")),
        ["100.atr"] = File.ReadAllBytes(ProjectData.File("mitdb", "100.atr")),
    };

    /// <summary>A scratch folder holding the three files.</summary>
    public static TempFolder Folder()
    {
        var folder = new TempFolder();
        foreach (var (name, bytes) in Files()) File.WriteAllBytes(folder.File(name), bytes);
        return folder;
    }
}
