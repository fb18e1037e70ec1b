using System.Text.Json;

namespace Distill.NotebookExport;

/// <summary>One output of a code cell: its representations by MIME type (a stream is <c>text/plain</c>, an error
/// <c>application/vnd.jupyter.error</c> holding the error name, message and traceback).</summary>
/// <param name="Data">Each representation's text, by MIME type.</param>
public sealed record Output(IReadOnlyDictionary<string, string> Data)
{
    /// <summary>The MIME type under which an error output's text is kept.</summary>
    public const string ErrorMimeType = "application/vnd.jupyter.error";

    internal static Output From(JsonElement output)
    {
        string type = output.TryGetProperty("output_type", out var t) ? t.GetString() ?? "" : "";
        switch (type)
        {
            case "stream":
                return new Output(new Dictionary<string, string> { ["text/plain"] = output.TryGetProperty("text", out var text) ? Notebook.Text(text) : "" });
            case "error":
                string name = output.TryGetProperty("ename", out var n) ? n.GetString() ?? "" : "";
                string message = output.TryGetProperty("evalue", out var v) ? v.GetString() ?? "" : "";
                string traceback = output.TryGetProperty("traceback", out var tb) && tb.ValueKind == JsonValueKind.Array
                    ? string.Join("\n", tb.EnumerateArray().Select(line => line.GetString())) : "";
                return new Output(new Dictionary<string, string> { [ErrorMimeType] = $"{name}: {message}\n{traceback}".TrimEnd() });
            default:
                return new Output(output.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                    ? data.EnumerateObject().ToDictionary(p => p.Name, p => Notebook.Text(p.Value))
                    : new Dictionary<string, string>());
        }
    }
}
