using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Distill.NotebookExport;

/// <summary>Writes a notebook as one HTML page that needs nothing else: no network, no other file.</summary>
/// <remarks>
/// Markdown cells go through <see cref="MarkdownHtml"/>; their LaTeX is typeset in the browser by the vendored KaTeX,
/// whose script, style sheet and fonts are inlined (fonts as <c>data:</c> URIs). Code cells show their source and their
/// outputs as the notebook holds them (<see cref="OutputHtml"/>): a chart output is HTML with a script, and draws with
/// the plotly.js that the notebook's setup output carries, exactly as in Jupyter.
/// </remarks>
public static partial class NotebookPage
{
    /// <summary>The page of a notebook.</summary>
    /// <param name="notebook">The executed notebook.</param>
    /// <param name="fallbackTitle">Title when the notebook has no level-1 heading (e.g. the file name).</param>
    public static string Write(Notebook notebook, string fallbackTitle)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(WebUtility.HtmlEncode(TitleOf(notebook) ?? fallbackTitle)).Append("</title>\n")
            .Append("<style>\n").Append(Resources.KatexStyleWithFonts()).Append("\n</style>\n")
            .Append("<style>\n").Append(Resources.Text("page/notebook.css")).Append("\n</style>\n")
            .Append("</head>\n<body>\n<main>\n");
        int codeCell = 0;
        foreach (var cell in notebook.Cells)
        {
            switch (cell.Kind)
            {
                case CellKind.Markdown:
                    page.Append("<section class=\"cell markdown\">\n").Append(MarkdownHtml.Render(cell.Source)).Append("</section>\n");
                    break;
                case CellKind.Code:
                    codeCell++;
                    page.Append("<section class=\"cell code\">\n")
                        .Append("<div class=\"source\" data-language=\"").Append(WebUtility.HtmlEncode(notebook.Language)).Append("\">")
                        .Append("<span class=\"prompt\">[").Append(codeCell).Append("]</span>")
                        .Append("<pre><code>").Append(WebUtility.HtmlEncode(cell.Source)).Append("</code></pre></div>\n")
                        .Append(OutputHtml.Render(cell.Outputs))
                        .Append("</section>\n");
                    break;
                case CellKind.Raw:
                    page.Append("<section class=\"cell raw\"><pre>").Append(WebUtility.HtmlEncode(cell.Source)).Append("</pre></section>\n");
                    break;
            }
        }
        page.Append("</main>\n")
            .Append("<script>\n").Append(Resources.Script("katex/katex.min.js")).Append("\n</script>\n")
            .Append("<script>\n").Append(Resources.Script("page/math.js")).Append("\n</script>\n")
            .Append("</body>\n</html>\n");
        return page.ToString();
    }

    /// <summary>The text of the first level-1 heading of a markdown cell, if any.</summary>
    internal static string? TitleOf(Notebook notebook) =>
        notebook.Cells.Where(c => c.Kind == CellKind.Markdown)
            .Select(c => HeadingPattern().Match(c.Source))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value.Trim())
            .FirstOrDefault();

    [GeneratedRegex(@"^#\s+(.+)$", RegexOptions.Multiline)]
    private static partial Regex HeadingPattern();
}
