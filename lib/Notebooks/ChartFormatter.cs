using Microsoft.DotNet.Interactive.Formatting;
using Plotly.NET;

namespace Distill.Notebooks;

/// <summary>Shows Plotly.NET charts as interactive HTML when a notebook cell returns or displays one.</summary>
/// <remarks>
/// Does what the Plotly.NET.Interactive extension does, against the kernel's own formatter, so that charts built by
/// Distill.Lib (which loads Plotly.NET from its own folder) render. Only called inside a notebook kernel: the
/// formatting assembly is the kernel's and is not shipped with the library.
/// </remarks>
internal static class ChartFormatter
{
    /// <summary>Registers the HTML formatter for <see cref="GenericChart"/>.</summary>
    public static void Register()
        => Formatter.Register<GenericChart>((chart, writer) => writer.Write(GenericChart.toChartHTML(chart)), HtmlFormatter.MimeType);
}
