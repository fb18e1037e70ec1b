using System.Diagnostics;
using Distill.Charts;
using Distill.NotebookExport;
using Distill.Notebooks;
using Xunit.Abstractions;

namespace Distill.Tests.Notebooks;

/// <summary>Every executed notebook, opened as a page in headless Chromium, draws every chart with no script error and
/// no network, and shows its results as tables: as the exported HTML page (<c>out/.../NAME.html</c>) and as Jupyter's own HTML of the .ipynb (nbconvert,
/// with require.js on the page).</summary>
/// <remarks>
/// The notebooks are executed once per test run (<see cref="NotebookRunner.Execute"/>), shared with
/// <see cref="NotebookTests"/>. Set <c>DISTILL_PAGE_SCREENSHOTS</c> to a folder to get a PNG of the top of each page and
/// of every chart, to look at them.
/// </remarks>
public class NotebookPageTests(ChromiumFixture chromium, ITestOutputHelper output) : IClassFixture<ChromiumFixture>
{
    private static readonly TimeSpan PageTimeout = TimeSpan.FromSeconds(90);

    [BrowserTheory]
    [MemberData(nameof(NotebookRunner.All), MemberType = typeof(NotebookRunner))]
    public async Task ExportedPageDrawsEveryChartOffline(string notebook)
    {
        PageTools.Require(jupyter: false);
        var run = ExecutedOrFail(notebook);
        string html = Path.ChangeExtension(run.Ipynb, ".html");
        File.WriteAllText(html, NotebookPage.Write(Notebook.Read(run.Ipynb), Path.GetFileNameWithoutExtension(notebook)));

        await using var page = await chromium.Browser.OpenAsync(new Uri(html).AbsoluteUri, PageInspection.ReadyExpression, PageTimeout);
        var inspection = await PageInspection.Of(page);
        Report(notebook, ExportedPage, inspection);
        await Screenshots(page, notebook, inspection);

        Assert.Equal(ChartOutputs(run.Ipynb), inspection.Charts.Count);
        AssertEveryChartDrawn(notebook, inspection);
        Assert.Empty(page.Errors());
        // Self-contained: nothing but the page itself and inline data is loaded.
        Assert.All(page.RequestedUrls(), url => Assert.True(url == new Uri(html).AbsoluteUri || url.StartsWith("data:", StringComparison.Ordinal),
            $"{notebook}'s page loads {url}; the page must need no other file and no network."));
        // Results are real tables: no Markdown pipes shown as text, no object trees, nothing cut after 20 rows.
        Assert.True(inspection.Tables > 0, $"{notebook}'s page has no table.");
        Assert.Equal(0, inspection.PipeTextOutputs);
        Assert.Equal(0, inspection.ObjectTrees);
        Assert.Equal(0, inspection.TruncatedOutputs);
        Assert.True(inspection.Formulas > 0, $"{notebook}'s page has no LaTeX formula: markdown math was not recognised.");
        Assert.Equal(inspection.Formulas, inspection.TypesetFormulas);
        Assert.Equal(0, inspection.FormulaErrors);
    }

    [BrowserTheory(jupyter: true)]
    [MemberData(nameof(NotebookRunner.All), MemberType = typeof(NotebookRunner))]
    public async Task JupyterPageWithRequireJsDrawsEveryChart(string notebook)
    {
        PageTools.Require(jupyter: true);
        var run = ExecutedOrFail(notebook);
        string html = Nbconvert(run.Ipynb);

        await using var page = await chromium.Browser.OpenAsync(new Uri(html).AbsoluteUri, PageInspection.ReadyExpression, PageTimeout);
        var inspection = await PageInspection.Of(page);
        Report(notebook, "nbconvert page", inspection);

        // The page must have an AMD loader, or the test would not exercise plotly.js's define() trap.
        Assert.True(inspection.HasAmdLoader, $"nbconvert's page of {notebook} has no require.js ({PageTools.RequireJs}).");
        Assert.Equal(ChartOutputs(run.Ipynb), inspection.Charts.Count);
        AssertEveryChartDrawn(notebook, inspection);
        // Debian's nbconvert also links MathJax from /usr/share/javascript, which may be absent: only script errors count.
        Assert.DoesNotContain(page.Errors(), e => !e.StartsWith("log:", StringComparison.Ordinal));
    }

    [BrowserFact]
    public async Task AChartDrawsOnlyWhenPlotlyJsWasLoadedAndScriptErrorsAreCaught()
    {
        // Guards the harness: a page whose chart lacks plotly.js, and a script that throws, must be reported.
        PageTools.Require(jupyter: false);
        var chart = MetricCharts.Roc(Distill.Metrics.BinaryMetrics.Roc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]), "score");
        string folder = Directory.CreateDirectory(Path.Combine(NotebookRunner.RepositoryRoot, "out", "test-notebooks", "harness")).FullName;

        string without = Path.Combine(folder, "chart-without-plotly.html");
        File.WriteAllText(without, Page(PlotlyHtml.Chart(chart) + "<script>throw new Error('script made to throw');</script>"));
        await using (var page = await chromium.Browser.OpenAsync(new Uri(without).AbsoluteUri, PageInspection.ReadyExpression, TimeSpan.FromSeconds(3)))
        {
            var inspection = await PageInspection.Of(page);
            Assert.Equal(0, Assert.Single(inspection.Charts).Traces);
            Assert.Contains("Waiting for plotly.js", inspection.Charts[0].Text);
            Assert.Contains(page.Errors(), e => e.Contains("script made to throw"));
        }

        string with = Path.Combine(folder, "chart-with-plotly.html");
        File.WriteAllText(with, Page(PlotlyHtml.Loader() + PlotlyHtml.Chart(chart)));
        await using (var page = await chromium.Browser.OpenAsync(new Uri(with).AbsoluteUri, PageInspection.ReadyExpression, PageTimeout))
        {
            var inspection = await PageInspection.Of(page);
            Assert.Equal(2, Assert.Single(inspection.Charts).Traces);   // the curve and the chance diagonal
            Assert.Empty(page.Errors());
        }
    }

    private static ExecutedNotebook ExecutedOrFail(string notebook)
    {
        var run = NotebookRunner.Execute(notebook);
        Assert.True(run.Succeeded, $"{notebook} did not run cleanly (see NotebookTests): {string.Join("; ", run.Errors)}");
        return run;
    }

    private static void AssertEveryChartDrawn(string notebook, PageInspection inspection)
    {
        Assert.NotEmpty(inspection.Charts);
        foreach (var chart in inspection.Charts)
            Assert.True(chart.Traces > 0, $"{notebook}: chart {chart.Index} of {inspection.Charts.Count} drew no trace ({chart.Text}).");
    }

    // Chart outputs the executed notebook holds: the page must show every one of them.
    private static int ChartOutputs(string ipynb) =>
        Notebook.Read(ipynb).Cells.SelectMany(c => c.Outputs)
            .Count(o => o.Data.TryGetValue("text/html", out var html) && html.Contains($"class=\"{PlotlyHtml.ChartClass}\"", StringComparison.Ordinal));

    private void Report(string notebook, string kind, PageInspection inspection) =>
        output.WriteLine($"{notebook} ({kind}): {inspection.Charts.Count} charts drawn with " +
                         $"[{string.Join(", ", inspection.Charts.Select(c => c.Traces))}] trace groups" +
                         (kind == ExportedPage ? $"; {inspection.Tables} tables; {inspection.TypesetFormulas}/{inspection.Formulas} formulas typeset" : ""));

    private const string ExportedPage = "exported page";

    private static string Nbconvert(string ipynb)
    {
        string name = Path.GetFileNameWithoutExtension(ipynb) + ".jupyter";
        var start = new ProcessStartInfo(PageTools.Python,
            ["-m", "nbconvert", "--to", "html", ipynb, "--output", name, "--output-dir", Path.GetDirectoryName(ipynb)!])
        { RedirectStandardError = true, RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string log = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"nbconvert failed on {ipynb}:\n{log}{stdout.Result}");
        return Path.Combine(Path.GetDirectoryName(ipynb)!, name + ".html");
    }

    private static string Page(string body) => $"<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>{body}</body></html>";

    private static async Task Screenshots(HeadlessChromium.Page page, string notebook, PageInspection inspection)
    {
        string? folder = Environment.GetEnvironmentVariable("DISTILL_PAGE_SCREENSHOTS");
        if (string.IsNullOrEmpty(folder)) return;
        Directory.CreateDirectory(folder);
        string name = Path.GetFileNameWithoutExtension(notebook);
        await page.ScreenshotAsync(Path.Combine(folder, $"{name}-top.png"), 0, 0, 1200, 1400);
        foreach (var chart in inspection.Charts)
        {
            // Where the chart is now: the page may have moved since it was inspected (fonts, screenshots resize the view).
            var box = (await page.EvaluateAsync(
                $"(() => {{ const c = document.querySelectorAll('div.distill-chart')[{chart.Index - 1}]; " +
                "const r = c.getBoundingClientRect(); return [r.left + scrollX, r.top + scrollY, r.width, r.height]; })()"))
                .AsArray().Select(v => v!.GetValue<double>()).ToArray();
            await page.ScreenshotAsync(Path.Combine(folder, $"{name}-chart-{chart.Index:D2}.png"),
                                       box[0], box[1], Math.Max(1, box[2]), Math.Max(1, box[3]));
        }
    }
}
