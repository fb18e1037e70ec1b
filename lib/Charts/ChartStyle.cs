using Microsoft.FSharp.Core;
using Plotly.NET;

namespace Distill.Charts;

/// <summary>The layout every Distill chart shares, and small C# conveniences over Plotly.NET's F# styling functions
/// that Plotly.NET.CSharp does not wrap.</summary>
/// <remarks>
/// Plotly.NET gives every chart a fixed 600 × 600 px layout; in a notebook output or a page that is wider, a legend on
/// the right then takes a third of the plot's width. Distill's charts fill the width of their output instead
/// (<see cref="FullWidth"/>) and put the legend in rows under the plot (<see cref="LegendBelow"/>), or inside an empty
/// corner where the data leave one (<see cref="LegendInsideBottomRight"/>, ROC curves).
/// </remarks>
public static class ChartStyle
{
    /// <summary>Height of a chart in pixels unless a builder needs more.</summary>
    public const int DefaultHeight = 460;

    /// <summary>Sets the chart's title.</summary>
    public static GenericChart WithTitle(this GenericChart chart, string title)
        => Plotly.NET.Chart.withTitle(title, FSharpOption<Font>.None).Invoke(chart);

    /// <summary>Sets a title with a second, smaller line under it (figures the title refers to), so that neither is cut
    /// off at the chart's width.</summary>
    public static GenericChart WithTitle(this GenericChart chart, string title, string subtitle)
        => chart.WithTitle($"{title}<br><sup>{subtitle}</sup>");

    /// <summary>Lets the chart fill the width of the output it is drawn in (no fixed width), at a fixed height.</summary>
    public static GenericChart FullWidth(this GenericChart chart, int height = DefaultHeight)
    {
        if (height < 100) throw new ArgumentOutOfRangeException(nameof(height), height, "A chart needs at least 100 px of height.");
        var layout = GenericChart.getLayout(chart);
        layout.RemoveProperty("width");
        layout.SetProperty("height", height);
        layout.SetProperty("autosize", true);
        return chart;
    }

    /// <summary>Puts the legend in rows under the plot, where it takes no width from it.</summary>
    public static GenericChart LegendBelow(this GenericChart chart)
        => SetLayout(chart, "legend", Properties(("orientation", "h"), ("x", 0.0), ("xanchor", "left"), ("y", -0.18), ("yanchor", "top")));

    /// <summary>Puts the legend inside the plot, in its lower right corner (empty in a ROC plot of any useful score).</summary>
    public static GenericChart LegendInsideBottomRight(this GenericChart chart)
        => SetLayout(chart, "legend", Properties(("x", 0.98), ("xanchor", "right"), ("y", 0.02), ("yanchor", "bottom"),
                                                 ("bgcolor", "rgba(255, 255, 255, 0.85)"), ("bordercolor", "#c8d4e3"), ("borderwidth", 1)));

    /// <summary>Ticks the x axis at every whole number when it spans at most ten (epochs, steps), so that no tick falls
    /// between two epochs; longer axes keep plotly's own whole-number ticks.</summary>
    /// <param name="chart">A chart whose x axis is styled (it has an x axis object).</param>
    /// <param name="first">The first value on the axis.</param>
    /// <param name="count">How many whole numbers the axis spans.</param>
    public static GenericChart WholeNumberXTicks(this GenericChart chart, int first, int count)
    {
        if (count > 10) return chart;
        var axis = (DynamicObj.DynamicObj)GenericChart.getLayout(chart).GetPropertyValue("xaxis");
        axis.SetProperty("tick0", first);
        axis.SetProperty("dtick", 1);
        return chart;
    }

    /// <summary>Sets one layout property (e.g. <c>scattermode</c>, <c>shapes</c>) that Plotly.NET.CSharp has no argument for.</summary>
    internal static GenericChart SetLayout(GenericChart chart, string name, object value)
    {
        GenericChart.getLayout(chart).SetProperty(name, value);
        return chart;
    }

    /// <summary>A JSON object of plotly.js attributes, for properties Plotly.NET.CSharp does not wrap.</summary>
    internal static DynamicObj.DynamicObj Properties(params (string Name, object Value)[] properties)
    {
        var result = new DynamicObj.DynamicObj();
        foreach (var (name, value) in properties) result.SetProperty(name, value);
        return result;
    }
}
