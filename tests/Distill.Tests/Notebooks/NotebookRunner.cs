using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Distill.Tests.Notebooks;

/// <summary>Executes a .dib notebook headless with dotnet-repl and reports every cell error.</summary>
public static class NotebookRunner
{
    /// <summary>The repository root (the folder holding Distill.Lib.csproj).</summary>
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Every notebook of the repository.</summary>
    public static IEnumerable<object[]> All()
        => Directory.GetFiles(Path.Combine(RepositoryRoot, "notebooks"), "*.dib").Order().Select(p => new object[] { Path.GetFileName(p) });

    private static readonly ConcurrentDictionary<string, Lazy<ExecutedNotebook>> Executed = new();

    /// <summary>The repository's notebook executed once per test process (quick profile) into
    /// <c>out/test-notebooks/NAME.ipynb</c>: the notebook test and the page tests share one run.</summary>
    /// <param name="notebook">File name in <c>notebooks/</c>, e.g. <c>01-teacher-training.dib</c>.</param>
    public static ExecutedNotebook Execute(string notebook) =>
        Executed.GetOrAdd(notebook, name => new Lazy<ExecutedNotebook>(() =>
        {
            string output = Path.Combine(RepositoryRoot, "out", "test-notebooks", Path.ChangeExtension(name, ".ipynb"));
            var (exitCode, errors, log) = Run(Path.Combine(RepositoryRoot, "notebooks", name), output, TimeSpan.FromMinutes(10));
            return new ExecutedNotebook(name, output, exitCode, errors, log);
        })).Value;

    /// <summary>Runs the notebook in the quick profile and returns the exit code and the errors found in the executed copy.</summary>
    public static (int ExitCode, IReadOnlyList<string> Errors, string Output) Run(string notebookPath, string outputPath, TimeSpan timeout)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(outputPath)!);
        var start = new ProcessStartInfo("dotnet")
        {
            // Relative #r paths in the notebooks resolve against the working directory, as in VS Code.
            WorkingDirectory = Path.GetDirectoryName(notebookPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string arg in new[] { "repl", "--run", notebookPath, "--exit-after-run", "--output-format", "ipynb", "--output-path", outputPath })
            start.ArgumentList.Add(arg);
        start.Environment["DISTILL_PROFILE"] = "quick";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, [$"timed out after {timeout.TotalMinutes} minutes"], stdout.Result + stderr.Result);
        }
        return (process.ExitCode, File.Exists(outputPath) ? CellErrors(outputPath) : ["no executed notebook was written"],
                stdout.Result + stderr.Result);
    }

    /// <summary>Error outputs of an executed .ipynb, as "cell N: message".</summary>
    public static IReadOnlyList<string> CellErrors(string ipynbPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(ipynbPath));
        var errors = new List<string>();
        int index = 0;
        foreach (var cell in document.RootElement.GetProperty("cells").EnumerateArray())
        {
            index++;
            if (!cell.TryGetProperty("outputs", out var outputs)) continue;
            foreach (var output in outputs.EnumerateArray())
                if (output.GetProperty("output_type").GetString() == "error")
                    errors.Add($"cell {index}: {output.GetProperty("evalue").GetString()}");
        }
        return errors;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Distill.Lib.csproj"))) return dir.FullName;
        throw new DirectoryNotFoundException($"No Distill.Lib.csproj above {AppContext.BaseDirectory}.");
    }
}

/// <summary>One headless run of a notebook.</summary>
/// <param name="Notebook">The notebook's file name.</param>
/// <param name="Ipynb">The executed copy with its outputs.</param>
/// <param name="ExitCode">dotnet repl's exit code.</param>
/// <param name="Errors">Cell errors found in the executed copy.</param>
/// <param name="Log">dotnet repl's output.</param>
public sealed record ExecutedNotebook(string Notebook, string Ipynb, int ExitCode, IReadOnlyList<string> Errors, string Log)
{
    /// <summary>Whether the notebook ran top to bottom without a cell error.</summary>
    public bool Succeeded => ExitCode == 0 && Errors.Count == 0;
}
