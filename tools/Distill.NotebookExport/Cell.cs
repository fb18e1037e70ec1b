using System.Text.Json;

namespace Distill.NotebookExport;

/// <summary>The kind of a notebook cell.</summary>
public enum CellKind
{
    /// <summary>Markdown text (with LaTeX).</summary>
    Markdown,

    /// <summary>Code with its outputs.</summary>
    Code,

    /// <summary>Raw text, shown as it is.</summary>
    Raw,
}

/// <summary>One cell: its source and, for code, its outputs.</summary>
/// <param name="Kind">Markdown, code or raw.</param>
/// <param name="Source">The cell's text.</param>
/// <param name="Outputs">The outputs of a code cell, in order (empty otherwise).</param>
public sealed record Cell(CellKind Kind, string Source, IReadOnlyList<Output> Outputs)
{
    internal static Cell From(JsonElement cell, string path, int index)
    {
        string type = cell.TryGetProperty("cell_type", out var t) ? t.GetString() ?? "" : "";
        CellKind kind = type switch
        {
            "markdown" => CellKind.Markdown,
            "code" => CellKind.Code,
            "raw" => CellKind.Raw,
            _ => throw new InvalidDataException($"{path}, cell {index}: unknown cell_type '{type}' (expected markdown, code or raw)."),
        };
        string source = cell.TryGetProperty("source", out var s) ? Notebook.Text(s) : "";
        var outputs = kind == CellKind.Code && cell.TryGetProperty("outputs", out var o) && o.ValueKind == JsonValueKind.Array
            ? o.EnumerateArray().Select(Output.From).ToArray()
            : [];
        return new Cell(kind, source, outputs);
    }
}
