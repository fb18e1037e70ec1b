namespace Distill.Tests.Notebooks;

/// <summary>Every notebook runs top to bottom, headless, in the quick profile, without a cell error.</summary>
public class NotebookTests
{
    [Theory]
    [MemberData(nameof(NotebookRunner.All), MemberType = typeof(NotebookRunner))]
    public void NotebookRunsWithoutCellErrors(string notebook)
    {
        var run = NotebookRunner.Execute(notebook);
        Assert.True(run.Errors.Count == 0, $"{notebook} has cell errors:\n{string.Join("\n", run.Errors)}\n{run.Log}");
        Assert.True(run.ExitCode == 0, $"{notebook}: dotnet repl exited with {run.ExitCode}.\n{run.Log}");
    }

    [Fact]
    public void AThrowingCellIsReportedAsAnError()
    {
        // Guards the harness itself: a notebook whose cell throws must not pass.
        // It lives under the repository so that dotnet finds the repl in the tool manifest (.config/).
        string folder = Path.Combine(NotebookRunner.RepositoryRoot, "out", "test-notebooks", "harness");
        Directory.CreateDirectory(folder);
        string notebook = Path.Combine(folder, "throws.dib");
        File.WriteAllText(notebook, "#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"aliases\":[],\"name\":\"csharp\"}]}}\n\n" +
                                    "#!csharp\n\nthrow new InvalidOperationException(\"cell made to throw\");\n\n#!csharp\n\n1 + 1\n");
        var (exitCode, errors, _) = NotebookRunner.Run(notebook, Path.Combine(folder, "throws.ipynb"), TimeSpan.FromMinutes(5));
        Assert.NotEqual(0, exitCode);
        Assert.Contains(errors, e => e.Contains("cell made to throw"));
    }
}
