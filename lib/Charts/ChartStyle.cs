using Microsoft.FSharp.Core;
using Plotly.NET;

namespace Distill.Charts;

/// <summary>Small C# conveniences over Plotly.NET's F# styling functions that Plotly.NET.CSharp does not wrap.</summary>
public static class ChartStyle
{
    /// <summary>Sets the chart's title.</summary>
    public static GenericChart WithTitle(this GenericChart chart, string title)
        => Plotly.NET.Chart.withTitle(title, FSharpOption<Font>.None).Invoke(chart);
}
