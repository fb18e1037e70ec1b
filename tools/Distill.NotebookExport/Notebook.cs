using System.Text.Json;

namespace Distill.NotebookExport;

/// <summary>An executed Jupyter notebook (nbformat 4), reduced to what a page shows.</summary>
/// <param name="Cells">The cells in order.</param>
/// <param name="Language">The kernel's language (e.g. "C#"), shown on code cells.</param>
public sealed record Notebook(IReadOnlyList<Cell> Cells, string Language)
{
    /// <summary>Reads an .ipynb file.</summary>
    /// <exception cref="InvalidDataException">The file is not an nbformat 4 notebook; the message says what is wrong.</exception>
    public static Notebook Read(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not JSON ({e.Message}): pass an executed .ipynb notebook.", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("cells", out var cells) || cells.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{path} has no \"cells\" array: pass a Jupyter notebook (nbformat 4).");
            if (root.TryGetProperty("nbformat", out var format) && format.ValueKind == JsonValueKind.Number && format.GetInt32() != 4)
                throw new InvalidDataException($"{path} is nbformat {format.GetInt32()}; only nbformat 4 is read (convert it with `jupyter nbconvert --to notebook`).");
            return new Notebook(cells.EnumerateArray().Select((c, i) => Cell.From(c, path, i + 1)).ToArray(), LanguageOf(root));
        }
    }

    private static string LanguageOf(JsonElement root) =>
        root.TryGetProperty("metadata", out var metadata)
        && metadata.TryGetProperty("kernelspec", out var kernel)
        && kernel.TryGetProperty("language", out var language)
        && language.ValueKind == JsonValueKind.String
            ? language.GetString()!
            : "code";

    /// <summary>A notebook field that nbformat stores as one string or as a list of lines.</summary>
    internal static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Array => string.Concat(value.EnumerateArray().Select(line => line.GetString())),
        _ => value.GetRawText(),
    };
}
