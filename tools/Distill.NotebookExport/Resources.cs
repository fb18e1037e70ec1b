using System.Text.RegularExpressions;

namespace Distill.NotebookExport;

/// <summary>The files embedded in this tool: the vendored KaTeX (Vendor/README.md) and the page's own style and script.</summary>
internal static partial class Resources
{
    /// <summary>An embedded text file.</summary>
    public static string Text(string name)
    {
        using var reader = new StreamReader(Open(name));
        return reader.ReadToEnd();
    }

    /// <summary>An embedded script, checked to be safe to inline in a <c>script</c> element.</summary>
    public static string Script(string name)
    {
        string source = Text(name);
        // Inline script text ends at the first "</script", whatever JavaScript string it is in.
        if (source.Contains("</script", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"The embedded script {name} contains \"</script\" and cannot be inlined as it is.");
        return source;
    }

    /// <summary>KaTeX's style sheet with each font as a <c>data:</c> URI (WOFF2 only: every current browser reads it),
    /// so that the page loads no file.</summary>
    public static string KatexStyleWithFonts()
    {
        string css = FontSource().Replace(Text("katex/katex.min.css"), match =>
        {
            using var font = Open("katex/fonts/" + match.Groups[1].Value + ".woff2");
            using var bytes = new MemoryStream();
            font.CopyTo(bytes);
            return $"src:url(data:font/woff2;base64,{Convert.ToBase64String(bytes.ToArray())}) format(\"woff2\")";
        });
        if (css.Contains("url(fonts/", StringComparison.Ordinal))
            throw new InvalidOperationException("katex.min.css names its fonts in a way this tool does not inline; update Resources.FontSource.");
        return css;
    }

    private static Stream Open(string name) =>
        typeof(Resources).Assembly.GetManifestResourceStream(name)
        ?? throw new InvalidOperationException($"The tool was built without its embedded file '{name}': rebuild tools/Distill.NotebookExport.");

    // KaTeX 0.16-0.19 write each face as src:url(fonts/NAME.woff2) format("woff2"),url(fonts/NAME.woff) ...,url(fonts/NAME.ttf) ...
    [GeneratedRegex(@"src:url\(fonts/([A-Za-z0-9_-]+)\.woff2\)[^;}]*")]
    private static partial Regex FontSource();
}
