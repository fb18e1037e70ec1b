using Distill.Charts;
using Distill.Notebooks;
using Plotly.NET;

namespace Distill.Tests.Notebooks;

/// <summary>The chart HTML carries its figure but not plotly.js; the one loader carries plotly.js, safe from require.js.</summary>
public sealed class PlotlyHtmlTests
{
    private static GenericChart Chart(string title = "Softening") =>
        SoftmaxCharts.TemperatureCurves([9.0, 5.0], [1.0, 4.0]).WithTitle(title);

    [Fact]
    public void TheLoaderRunsPlotlyJsWithAnAmdDefineHiddenAndAnnouncesIt()
    {
        string loader = PlotlyHtml.Loader();
        Assert.Contains($"plotly.js v{PlotlyHtml.PlotlyJsVersion}", loader);
        Assert.Contains(PlotlyHtml.PlotlyJsSource, loader);
        // plotly.min.js's UMD header calls define() when an AMD loader is present; inside this function it cannot.
        Assert.Contains("(function (define, module, exports) {\n" + PlotlyHtml.PlotlyJsSource, loader);
        Assert.Contains("if (!window.Plotly)", loader);
        Assert.Contains($"window.dispatchEvent(new Event('{PlotlyHtml.ReadyEvent}'))", loader);
        Assert.Equal(1, Occurrences(loader, "</script"));
        Assert.True(PlotlyHtml.PlotlyJsSource.Length > 3_000_000, "plotly.min.js is about 3.6 MB");
    }

    [Fact]
    public void AChartCarriesItsFigureAndWaitsForPlotlyButHasNoCopyOfIt()
    {
        string html = PlotlyHtml.Chart(Chart());
        Assert.True(html.Length < 100_000, $"a chart's HTML is {html.Length} characters: it must not carry plotly.js");
        Assert.DoesNotContain("plotly.js v", html);
        Assert.Contains($"class=\"{PlotlyHtml.ChartClass}\"", html);
        Assert.Contains("\"name\":\"class 0 (z = 9)\"", html);
        Assert.Contains("window.Plotly.newPlot(div, figure.data, figure.layout, figure.config)", html);
        Assert.Contains($"window.addEventListener('{PlotlyHtml.ReadyEvent}', draw, {{ once: true }})", html);
    }

    [Fact]
    public void EveryChartGetsItsOwnContainer()
    {
        string Id(string html) => html[(html.IndexOf("id=\"", StringComparison.Ordinal) + 4)..][..45];
        Assert.NotEqual(Id(PlotlyHtml.Chart(Chart())), Id(PlotlyHtml.Chart(Chart())));
    }

    [Fact]
    public void TextThatWouldEndTheScriptIsEscaped()
    {
        string html = PlotlyHtml.Chart(Chart("a </script><b>title</b>"));
        Assert.Equal(1, Occurrences(html, "</script"));
        Assert.Contains("a <\\/script><b>title<\\/b>", html);
    }

    private static int Occurrences(string text, string part)
    {
        int count = 0;
        for (int i = text.IndexOf(part, StringComparison.OrdinalIgnoreCase); i >= 0; i = text.IndexOf(part, i + 1, StringComparison.OrdinalIgnoreCase))
            count++;
        return count;
    }
}
