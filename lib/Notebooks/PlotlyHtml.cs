using System.Globalization;
using Plotly.NET;

namespace Distill.Notebooks;

/// <summary>
/// HTML that draws Plotly.NET charts offline in every notebook front end: one script that loads plotly.js once per page,
/// and per chart a small script that draws as soon as plotly.js is there.
/// </summary>
/// <remarks>
/// <para>plotly.js comes from Plotly.NET's own assembly, which embeds the minified build its chart JSON is written for
/// (plotly.js 2.28.0 in Plotly.NET 6.0.0, MIT licence): nothing is fetched from the network.</para>
/// <para>Front ends differ in two ways that matter here. (1) Where an AMD loader is on the page (require.js in Jupyter
/// Notebook classic, nbconvert's HTML and nbviewer; VS Code when a widget renderer has loaded one), plotly.min.js's UMD
/// header calls <c>define([], ...)</c> instead of setting <c>window.Plotly</c>, and an anonymous <c>define</c> outside
/// require.js's own loading is an error ("Mismatched anonymous define() module"). The loader therefore runs plotly.js
/// inside a function whose parameters <c>define</c>, <c>module</c> and <c>exports</c> are undefined, so that it always
/// takes the global branch. (2) Outputs may be rendered in any order and at any time: VS Code renders the outputs of one
/// notebook into one shared webview (so <c>window.Plotly</c>, once set, serves every later output, including a chart
/// of a cell re-run later), but re-renders saved outputs as their cells scroll into view; Jupyter and exported pages
/// render top to bottom. A chart that finds no <c>window.Plotly</c> shows a short note and draws when the loader
/// announces itself with the <see cref="ReadyEvent"/> event.</para>
/// </remarks>
public static class PlotlyHtml
{
    /// <summary>The event the loader dispatches on <c>window</c> once <c>window.Plotly</c> is defined.</summary>
    public const string ReadyEvent = "distill-plotly-ready";

    /// <summary>The CSS class of every chart's container <c>div</c> (the one plotly.js draws into).</summary>
    public const string ChartClass = "distill-chart";

    private const string ResourcePrefix = "Plotly.NET.plotly-";

    private static readonly Lazy<string> Library = new(ReadLibrary);

    /// <summary>The version of the plotly.js build that Plotly.NET embeds and these charts are drawn with.</summary>
    public static string PlotlyJsVersion => Globals.PLOTLYJS_VERSION;

    /// <summary>The minified plotly.js source embedded in Plotly.NET (about 3.6 MB).</summary>
    public static string PlotlyJsSource => Library.Value;

    /// <summary>One <c>script</c> element that defines <c>window.Plotly</c> (unless a page already has it) and then
    /// dispatches <see cref="ReadyEvent"/>; hides an AMD <c>define</c> from plotly.js (see remarks of the class).</summary>
    public static string Loader() =>
        "<script type=\"text/javascript\">\n" +
        "if (!window.Plotly) {\n" +
        "  (function (define, module, exports) {\n" +
        PlotlyJsSource + "\n" +
        "  }).call(window);\n" +
        "}\n" +
        $"window.dispatchEvent(new Event('{ReadyEvent}'));\n" +
        "</script>";

    /// <summary>The chart as plotly.js's figure JSON: <c>{"data": [...], "layout": {...}, "config": {...}}</c>, the
    /// arguments of <c>Plotly.newPlot</c>.</summary>
    public static string Figure(GenericChart chart)
    {
        ArgumentNullException.ThrowIfNull(chart);
        return GenericChart.toJson(chart);
    }

    /// <summary>A <c>div</c> for the chart and a script that draws it with <c>window.Plotly</c>, now or once the
    /// loader has run; carries no plotly.js itself (see <see cref="Loader"/>).</summary>
    public static string Chart(GenericChart chart)
    {
        string id = "distill-chart-" + Guid.NewGuid().ToString("N");
        // "</" inside a JSON string would end the script element early; "<\/" is the same string in JSON and JavaScript.
        string figure = Figure(chart).Replace("</", "<\\/", StringComparison.Ordinal);
        return string.Create(CultureInfo.InvariantCulture, $$"""
            <div id="{{id}}" class="{{ChartClass}}"></div>
            <script type="text/javascript">
            (function () {
              var id = '{{id}}';
              var figure = {{figure}};
              function draw() {
                var div = document.getElementById(id);
                if (!div) return;   // the output was cleared before plotly.js arrived
                div.textContent = '';
                window.Plotly.newPlot(div, figure.data, figure.layout, figure.config);
              }
              if (window.Plotly) { draw(); return; }
              var note = document.getElementById(id);
              if (note) note.textContent =
                'Waiting for plotly.js, which the output of the first cell (NotebookEnvironment.Setup) loads. ' +
                'If this note stays, run that cell, then this one.';
              window.addEventListener('{{ReadyEvent}}', draw, { once: true });
            })();
            </script>
            """);
    }

    private static string ReadLibrary()
    {
        string name = $"{ResourcePrefix}{PlotlyJsVersion}.min.js";
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException(
                $"Plotly.NET {typeof(GenericChart).Assembly.GetName().Version} has no embedded resource '{name}': " +
                "this version ships plotly.js differently; update PlotlyHtml to read it from where it is now.");
        using var reader = new StreamReader(stream);
        string source = reader.ReadToEnd();
        // Inline script text ends at the first "</script"; plotly.js 2.28 has none, a future build might.
        if (source.Contains("</script", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(
                $"plotly.js {PlotlyJsVersion} contains \"</script\" and cannot be inlined in a script element as it is.");
        return source;
    }
}
