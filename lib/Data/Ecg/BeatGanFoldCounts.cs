using System.Text.Json;

namespace Distill.Data.Ecg;

/// <summary>Reads the beat counts back from the <c>fold.json</c> of a <see cref="BeatGanFoldExport"/>: per split ("train",
/// "validation", "test") and AAMI class, so that a report shows the counts of the very export it trained on.</summary>
public static class BeatGanFoldCounts
{
    /// <summary>The counts of the export described by <paramref name="foldJson"/>.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<AamiClass, int>> Read(string foldJson)
    {
        ArgumentNullException.ThrowIfNull(foldJson);
        if (!File.Exists(foldJson))
            throw new FileNotFoundException($"{foldJson}: no such file. Export the fold first: distill data mitbih --export-fold K --out DIR.", foldJson);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(foldJson));
            var counts = document.RootElement.GetProperty("counts");
            return BeatGanFoldExport.Splits.ToDictionary(split => split, split => (IReadOnlyDictionary<AamiClass, int>)
                Enum.GetValues<AamiClass>().ToDictionary(c => c, c => counts.GetProperty(split).GetProperty(c.ToString()).GetInt32()));
        }
        catch (Exception error) when (error is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw InvalidFileException.Of(foldJson, $"is not a fold description with counts per split and class ({error.Message})",
                                          "Export the fold again: distill data mitbih --export-fold K --out DIR");
        }
    }
}
