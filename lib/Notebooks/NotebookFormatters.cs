using System.Net;
using Distill.Charts;
using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace Distill.Notebooks;

/// <summary>Shows Plotly.NET charts, <see cref="Table"/>s and the <see cref="SetupSummary"/> in a notebook.</summary>
/// <remarks>
/// Does what the Plotly.NET.Interactive extension does, against the kernel's own formatter, so that charts built by
/// Distill.Lib (which loads Plotly.NET from its own folder) render, but offline: the setup cell's HTML output carries
/// plotly.js once (<see cref="PlotlyHtml.Loader"/>), each chart's HTML only its figure and a few lines that draw it
/// (<see cref="PlotlyHtml.Chart"/>). If no setup summary was shown before the first chart (a setup call ending in a
/// semicolon), that chart's output carries plotly.js instead.
/// <para>Charts are given as <c>text/html</c> only, not also as <c>application/vnd.plotly.v1+json</c>: VS Code would
/// prefer that MIME type and draw it with another renderer (and another plotly.js) than the one tested here, and
/// dotnet-repl saves its JSON as a list of strings, which JupyterLab's plotly renderer cannot read.</para>
/// Only called inside a notebook kernel: the formatting assembly is the kernel's and is not shipped with the library.
/// </remarks>
internal static class NotebookFormatters
{
    // Whether an output of this kernel has carried plotly.js; the front end keeps it for every later output.
    private static bool plotlyJsDelivered;

    /// <summary>Registers the HTML and plain-text formatters for the setup summary, charts and tables.</summary>
    public static void Register()
    {
        Formatter.Register<SetupSummary>((summary, writer) =>
        {
            writer.Write($"<div>{WebUtility.HtmlEncode(summary.Text)}</div>");
            writer.Write(PlotlyHtml.Loader());
            plotlyJsDelivered = true;
        }, HtmlFormatter.MimeType);
        Formatter.Register<SetupSummary>((summary, writer) => writer.Write(summary.Text), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(SetupSummary), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);

        Formatter.Register<GenericChart>((chart, writer) =>
        {
            if (!plotlyJsDelivered)
            {
                writer.Write(PlotlyHtml.Loader());
                plotlyJsDelivered = true;
            }
            writer.Write(PlotlyHtml.Chart(chart));
        }, HtmlFormatter.MimeType);

        Formatter.Register<Table>((table, writer) => writer.Write(table.ToHtml()), HtmlFormatter.MimeType);
        Formatter.Register<Table>((table, writer) => writer.Write(table.ToString()), PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(Table), HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
    }
}
