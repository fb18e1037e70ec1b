using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace Distill.NotebookExport;

/// <summary>Markdown cells as HTML, with their LaTeX left for KaTeX to typeset in the page.</summary>
/// <remarks>
/// Markdig (CommonMark) with the extensions the notebooks use: pipe tables, heading anchors, and mathematics, which is
/// written as <c>\(...\)</c> (inline, <c>$...$</c>) or <c>\[...\]</c> (display) inside an element of class <c>math</c> for
/// the page's script (<c>Page/math.js</c>) to typeset. As in Jupyter, <c>$$...$$</c> inside a paragraph is display
/// math (Markdig alone writes it inline; <see cref="DisplayAwareMathInlineRenderer"/> keeps the difference).
/// Extensions that reinterpret ordinary text (subscripts from <c>~</c>, smart quotes, emoji) are left out on purpose.
/// </remarks>
public static class MarkdownHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .UseMathematics()
        .UsePipeTables()
        .UseAutoIdentifiers()
        .Build();

    /// <summary>The HTML of one markdown cell.</summary>
    public static string Render(string markdown)
    {
        using var writer = new StringWriter();
        var renderer = new HtmlRenderer(writer);
        Pipeline.Setup(renderer);
        renderer.ObjectRenderers.ReplaceOrAdd<HtmlMathInlineRenderer>(new DisplayAwareMathInlineRenderer());
        renderer.Render(Markdown.Parse(markdown ?? "", Pipeline));
        writer.Flush();
        return writer.ToString();
    }

    /// <summary>Writes <c>$x$</c> as <c>\(x\)</c> and <c>$$x$$</c> as <c>\[x\]</c>, HTML-escaped, in a <c>span.math</c>.</summary>
    private sealed class DisplayAwareMathInlineRenderer : HtmlObjectRenderer<MathInline>
    {
        protected override void Write(HtmlRenderer renderer, MathInline math)
        {
            bool display = math.DelimiterCount >= 2;
            renderer.Write(display ? "<span class=\"math display\">\\[" : "<span class=\"math\">\\(")
                .WriteEscape(math.Content.ToString())
                .Write(display ? "\\]</span>" : "\\)</span>");
        }
    }
}
