using System.Diagnostics;

namespace Distill.Tests.Notebooks;

/// <summary>What the page tests need outside .NET: Chromium, and for the Jupyter page nbconvert (Debian's
/// python3-nbconvert) with the require.js it links (libjs-requirejs). <c>.ci/run</c> installs all three.</summary>
public static class PageTools
{
    /// <summary>The Python that has nbconvert (Debian's; a pyenv shim on the PATH may lack it).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>Where Debian's nbconvert points the pages it writes for require.js.</summary>
    public const string RequireJs = "/usr/share/javascript/requirejs/require.min.js";

    private static readonly Lazy<bool> NbconvertInstalled = new(() =>
    {
        if (!File.Exists(Python)) return false;
        using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import nbconvert"]) { RedirectStandardError = true })!;
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0;
    });

    /// <summary>Whether this is a CI run (<c>CI=true</c>), where a missing tool fails the test instead of skipping it.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>What is missing for a page test, with the command that installs it; null when nothing is.</summary>
    public static string? Missing(bool jupyter)
    {
        var missing = new List<string>();
        if (HeadlessChromium.Find() is null) missing.Add("Chromium (apt-get install chromium, or set CHROMIUM to its path)");
        if (jupyter && !NbconvertInstalled.Value) missing.Add($"nbconvert for {Python} (apt-get install python3-nbconvert)");
        if (jupyter && !File.Exists(RequireJs)) missing.Add($"{RequireJs} (apt-get install libjs-requirejs)");
        return missing.Count == 0 ? null : "Missing: " + string.Join("; ", missing) + ".";
    }

    /// <summary>Fails the test when a tool is missing (reached only where the test was not skipped, i.e. under CI).</summary>
    public static void Require(bool jupyter)
    {
        if (Missing(jupyter) is { } missing) Assert.Fail($"CI=true, so the page tests must run. {missing}");
    }
}

/// <summary>A theory that opens pages in headless Chromium (and, with <c>jupyter: true</c>, converts notebooks with
/// nbconvert). Where a tool is missing it is skipped with the reason, so the run says that the browser checks did not
/// run; under <c>CI=true</c> it runs and fails instead.</summary>
public sealed class BrowserTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips the theory where its tools are missing, except under CI.</summary>
    public BrowserTheoryAttribute(bool jupyter = false)
    {
        if (PageTools.Missing(jupyter) is { } missing && !PageTools.IsCi)
            Skip = $"{missing} The browser checks did not run.";
    }
}

/// <summary>A fact that opens pages in headless Chromium; skipped where it is missing, except under CI.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    /// <summary>Skips the fact where Chromium is missing, except under CI.</summary>
    public BrowserFactAttribute()
    {
        if (PageTools.Missing(jupyter: false) is { } missing && !PageTools.IsCi)
            Skip = $"{missing} The browser checks did not run.";
    }
}

/// <summary>One Chromium for all page tests of a class, started on first use.</summary>
public sealed class ChromiumFixture : IDisposable
{
    private readonly Lazy<HeadlessChromium> browser = new(() =>
        HeadlessChromium.Start(HeadlessChromium.Find() ?? throw new InvalidOperationException("no Chromium"), TimeSpan.FromSeconds(60)));

    /// <summary>The running browser.</summary>
    public HeadlessChromium Browser => browser.Value;

    /// <summary>Closes the browser if it was started.</summary>
    public void Dispose()
    {
        if (browser.IsValueCreated) browser.Value.Dispose();
    }
}
