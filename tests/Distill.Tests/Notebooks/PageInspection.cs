using System.Text.Json.Nodes;

namespace Distill.Tests.Notebooks;

/// <summary>What a notebook page shows, read from the browser's DOM after its scripts ran.</summary>
/// <param name="Charts">Every chart container (<c>div.distill-chart</c>), in page order.</param>
/// <param name="Tables">HTML tables among the outputs.</param>
/// <param name="PipeTextOutputs">Plain-text outputs that hold a Markdown pipe table (a table the reader sees as text).</param>
/// <param name="TruncatedOutputs">Outputs cut short by the kernel's object formatter ("(more)").</param>
/// <param name="ObjectTrees">Outputs shown as the kernel's tree of an object's properties instead of a table.</param>
/// <param name="Formulas">LaTeX formulas in markdown cells (<c>.math</c>).</param>
/// <param name="TypesetFormulas">Formulas that KaTeX typeset.</param>
/// <param name="FormulaErrors">Formulas KaTeX could not parse.</param>
/// <param name="HasAmdLoader">Whether the page has an AMD <c>define</c> (require.js), the trap plotly.js must avoid.</param>
public sealed record PageInspection(IReadOnlyList<ChartInspection> Charts, int Tables, int PipeTextOutputs, int TruncatedOutputs,
                                    int ObjectTrees, int Formulas, int TypesetFormulas, int FormulaErrors, bool HasAmdLoader)
{
    /// <summary>True once the document has loaded and every chart container holds plotly's SVG (or after a timeout).</summary>
    public const string ReadyExpression =
        "document.readyState === 'complete' && " +
        "Array.from(document.querySelectorAll('div.distill-chart')).every(c => c.querySelector('svg.main-svg'))";

    // Trace groups are the SVG groups plotly.js draws one per trace: "trace scatter", "trace bars" (bars and
    // histograms), "hm" (heatmaps), "contour", "im" (images).
    private const string Expression = """
        (() => {
          const charts = Array.from(document.querySelectorAll('div.distill-chart'));
          return {
            charts: charts.map(c => ({
              traces: c.querySelectorAll('svg.main-svg g.trace, svg.main-svg g.hm, svg.main-svg g.contour, svg.main-svg g.im').length,
              title: (c.querySelector('.gtitle') || { textContent: '' }).textContent,
              text: c.querySelector('svg') ? '' : c.textContent.slice(0, 200) })),
            tables: document.querySelectorAll('.output table').length,
            pipeText: Array.from(document.querySelectorAll('.output.text pre'))
              .filter(p => /^\s*\|.*\|\s*$/m.test(p.textContent)).length,
            truncated: Array.from(document.querySelectorAll('.output')).filter(o => o.textContent.includes('(more)')).length,
            trees: document.querySelectorAll('.output details.dni-treeview').length,
            formulas: document.querySelectorAll('.markdown .math').length,
            typeset: document.querySelectorAll('.markdown .math .katex').length,
            formulaErrors: document.querySelectorAll('.katex-error').length,
            amd: typeof define === 'function' && !!define.amd
          };
        })()
        """;

    /// <summary>Reads the page.</summary>
    public static async Task<PageInspection> Of(HeadlessChromium.Page page)
    {
        var node = await page.EvaluateAsync(Expression);
        var charts = node["charts"]!.AsArray().Select((c, i) => new ChartInspection(
            i + 1, c!["traces"]!.GetValue<int>(), c["title"]!.GetValue<string>(), c["text"]!.GetValue<string>())).ToArray();
        return new PageInspection(charts, Int(node, "tables"), Int(node, "pipeText"), Int(node, "truncated"), Int(node, "trees"),
                                  Int(node, "formulas"),
                                  Int(node, "typeset"), Int(node, "formulaErrors"), node["amd"]!.GetValue<bool>());
    }

    private static int Int(JsonNode node, string name) => node[name]!.GetValue<int>();
}

/// <summary>One chart container of a page.</summary>
/// <param name="Index">1-based position on the page.</param>
/// <param name="Traces">Trace groups plotly.js drew into its SVG (0: not drawn).</param>
/// <param name="Title">The chart's title as drawn.</param>
/// <param name="Text">The container's text when no SVG was drawn (e.g. the note that plotly.js is missing).</param>
public sealed record ChartInspection(int Index, int Traces, string Title, string Text);
