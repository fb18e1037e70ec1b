using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Distill.NotebookExport;

/// <summary>The outputs of a code cell as HTML: each in its richest representation, plain-text runs kept together.</summary>
/// <remarks>
/// The order of preference is Jupyter's (nbconvert's HTML exporter): HTML, then SVG and PNG/JPEG images, then Markdown,
/// then plain text. HTML outputs are the kernel's own (tables, charts with their drawing script) and are inserted as they
/// are. Consecutive plain-text outputs (a progress line saved once per update) share one scrolling block.
/// </remarks>
public static partial class OutputHtml
{
    /// <summary>The HTML of a cell's outputs (empty when there are none).</summary>
    public static string Render(IReadOnlyList<Output> outputs)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var html = new StringBuilder();
        var text = new List<string>();
        void FlushText()
        {
            if (text.Count == 0) return;
            html.Append("<div class=\"output text\"><pre>").Append(WebUtility.HtmlEncode(string.Join("\n", text.Select(t => t.TrimEnd('\n')))))
                .Append("</pre></div>\n");
            text.Clear();
        }
        foreach (var output in outputs)
        {
            var data = output.Data;
            if (data.TryGetValue(Output.ErrorMimeType, out var error))
            {
                FlushText();
                html.Append("<div class=\"output error\"><pre>").Append(WebUtility.HtmlEncode(AnsiEscape().Replace(error, ""))).Append("</pre></div>\n");
            }
            else if (data.TryGetValue("text/html", out var rich))
            {
                FlushText();
                html.Append("<div class=\"output html\">").Append(rich).Append("</div>\n");
            }
            else if (data.TryGetValue("image/svg+xml", out var svg))
            {
                FlushText();
                html.Append("<div class=\"output image\">").Append(svg).Append("</div>\n");
            }
            else if (Image(data) is { } image)
            {
                FlushText();
                html.Append("<div class=\"output image\"><img alt=\"output image\" src=\"data:").Append(image.Mime).Append(";base64,")
                    .Append(image.Base64.Replace("\n", "")).Append("\"></div>\n");
            }
            else if (data.TryGetValue("text/markdown", out var markdown))
            {
                FlushText();
                html.Append("<div class=\"output markdown\">").Append(MarkdownHtml.Render(markdown)).Append("</div>\n");
            }
            else if (data.TryGetValue("text/plain", out var plain))
                text.Add(AnsiEscape().Replace(plain, ""));
        }
        FlushText();
        return html.ToString();
    }

    private static (string Mime, string Base64)? Image(IReadOnlyDictionary<string, string> data) =>
        data.TryGetValue("image/png", out var png) ? ("image/png", png)
        : data.TryGetValue("image/jpeg", out var jpeg) ? ("image/jpeg", jpeg)
        : null;

    // Colour codes of terminal output in tracebacks and streams.
    [GeneratedRegex(@"\x1b\[[0-9;]*[A-Za-z]")]
    private static partial Regex AnsiEscape();
}
