using System.Diagnostics;
using Distill.NotebookExport;
using Distill.Tests.Notebooks;

namespace Distill.Tests.Export;

/// <summary>The exporter reads nbformat 4, renders markdown and math markers, keeps HTML outputs as they are, merges
/// progress lines, and writes a page that loads nothing.</summary>
public sealed class NotebookExportTests
{
    private const string Ipynb = """
        {"nbformat": 4, "nbformat_minor": 4,
         "metadata": {"kernelspec": {"display_name": ".NET (C#)", "language": "C#", "name": ".net-csharp"}},
         "cells": [
          {"cell_type": "markdown", "metadata": {}, "source": ["# 2. Distilling\n", "\n", "Softmax $p_i = e^{z_i/T}$ and\n", "\n", "$$\\mathcal{L} = T^2 \\, \\mathrm{KL}$$\n", "\n", "| a | b |\n|---|---|\n| 1 | 2 |\n"]},
          {"cell_type": "code", "metadata": {}, "source": "var x = 1 < 2;", "outputs": [
            {"output_type": "display_data", "metadata": {}, "data": {"text/plain": ["epoch 1/2"]}},
            {"output_type": "display_data", "metadata": {}, "data": {"text/plain": ["epoch 2/2"]}},
            {"output_type": "display_data", "metadata": {}, "data": {"text/html": ["<table><tr><td>0.9816</td></tr></table>"], "text/plain": ["x"]}},
            {"output_type": "stream", "name": "stdout", "text": ["done\n"]},
            {"output_type": "error", "ename": "Error", "evalue": "boom", "traceback": ["\u001b[31mat cell 2\u001b[0m"]}]}
         ]}
        """;

    private static Notebook Sample()
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("distill-export-").FullName, "sample.ipynb");
        File.WriteAllText(path, Ipynb);
        return Notebook.Read(path);
    }

    [Fact]
    public void CellsAndOutputsAreRead()
    {
        var notebook = Sample();
        Assert.Equal("C#", notebook.Language);
        Assert.Equal([CellKind.Markdown, CellKind.Code], notebook.Cells.Select(c => c.Kind));
        Assert.Equal("var x = 1 < 2;", notebook.Cells[1].Source);
        Assert.Equal(5, notebook.Cells[1].Outputs.Count);
        Assert.Equal("done\n", notebook.Cells[1].Outputs[3].Data["text/plain"]);
        Assert.StartsWith("Error: boom", notebook.Cells[1].Outputs[4].Data[Output.ErrorMimeType]);
    }

    [Fact]
    public void MarkdownMathIsMarkedForKatexAndTablesAreTables()
    {
        string html = MarkdownHtml.Render(Sample().Cells[0].Source);
        Assert.Contains("<h1 id=\"distilling\">2. Distilling</h1>", html);
        Assert.Contains("<span class=\"math\">\\(p_i = e^{z_i/T}\\)</span>", html);
        // $$...$$ inside a paragraph is display math, as in Jupyter.
        Assert.Contains("<span class=\"math display\">\\[\\mathcal{L} = T^2 \\, \\mathrm{KL}\\]</span>", html);
        Assert.Contains("<table>", html);
    }

    [Fact]
    public void OutputsKeepTheirRichestFormAndProgressLinesShareOneBlock()
    {
        string html = OutputHtml.Render(Sample().Cells[1].Outputs);
        Assert.Contains("<div class=\"output text\"><pre>epoch 1/2\nepoch 2/2</pre></div>", html);
        Assert.Contains("<div class=\"output html\"><table><tr><td>0.9816</td></tr></table></div>", html);
        Assert.DoesNotContain(">x<", html);   // the plain-text alternative of the HTML output
        Assert.Contains("<pre>done</pre>", html);
        Assert.Contains("<div class=\"output error\"><pre>Error: boom\nat cell 2</pre></div>", html);   // colour codes removed
    }

    [Fact]
    public void ThePageIsSelfContained()
    {
        string page = NotebookPage.Write(Sample(), "fallback");
        Assert.Contains("<title>2. Distilling</title>", page);
        Assert.Contains("var x = 1 &lt; 2;", page);
        Assert.Contains("src:url(data:font/woff2;base64,", page);
        Assert.DoesNotContain("url(fonts/", page);
        Assert.DoesNotContain("<script src", page);
        Assert.DoesNotContain("<link", page);
        Assert.Contains("katex.render(tex, element", page);
    }

    [Fact]
    public void ANotebookThatIsNotOneIsRefusedNamingTheFile()
    {
        string folder = Directory.CreateTempSubdirectory("distill-export-").FullName;
        string notJson = Path.Combine(folder, "broken.ipynb");
        File.WriteAllText(notJson, "{ not json");
        Assert.Contains("broken.ipynb is not JSON", Assert.Throws<InvalidDataException>(() => Notebook.Read(notJson)).Message);
        string noCells = Path.Combine(folder, "nocells.ipynb");
        File.WriteAllText(noCells, "{\"nbformat\": 4}");
        Assert.Contains("has no \"cells\" array", Assert.Throws<InvalidDataException>(() => Notebook.Read(noCells)).Message);
    }

    [Fact]
    public void TheCommandExitsWithTheDocumentedCodes()
    {
        string tool = Path.Combine(AppContext.BaseDirectory, "Distill.NotebookExport.dll");
        Assert.Equal(2, Run(tool).ExitCode);
        var missing = Run(tool, "/nonexistent/notebook.ipynb");
        Assert.Equal(3, missing.ExitCode);
        Assert.Contains("/nonexistent/notebook.ipynb does not exist", missing.Error);
        string notebook = Path.Combine(Directory.CreateTempSubdirectory("distill-export-").FullName, "ok.ipynb");
        File.WriteAllText(notebook, Ipynb);
        Assert.Equal(0, Run(tool, notebook).ExitCode);
        Assert.True(File.Exists(Path.ChangeExtension(notebook, ".html")));
    }

    private static (int ExitCode, string Error) Run(string tool, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = NotebookRunner.RepositoryRoot };
        start.ArgumentList.Add(tool);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        _ = stdout.Result;
        return (process.ExitCode, error);
    }
}
