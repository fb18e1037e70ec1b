using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Distill.Tests.Notebooks;

namespace Distill.Tests.Readme;

/// <summary>README's "Distil your own model" code is the program <c>examples/DistilYourOwnModel/Program.cs</c>, word for word,
/// and that program (built with the tests) trains a user's own teacher and distils a user's own student.</summary>
public class ReadmeExampleTests
{
    private const string Section = "## Distil your own model";

    private static string Normalized(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).Trim('\n');

    /// <summary>The first fenced C# block after the section's heading.</summary>
    private static string ReadmeBlock()
    {
        string readme = Normalized(File.ReadAllText(Path.Combine(NotebookRunner.RepositoryRoot, "README.md")));
        int section = readme.IndexOf("\n" + Section + "\n", StringComparison.Ordinal);
        Assert.True(section >= 0, $"README.md has no section '{Section}'.");
        var block = Regex.Match(readme[section..], "\n```csharp\n(.*?)\n```\n", RegexOptions.Singleline);
        Assert.True(block.Success, $"README.md's section '{Section}' has no ```csharp block.");
        return block.Groups[1].Value;
    }

    [Fact]
    public void TheReadmeBlockIsTheExampleProgram()
    {
        string program = Normalized(File.ReadAllText(Path.Combine(NotebookRunner.RepositoryRoot, "examples", "DistilYourOwnModel", "Program.cs")));
        Assert.Equal(program, ReadmeBlock());
    }

    [Fact]
    public async Task TheExampleProgramDistilsAUsersOwnStudent()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "distil-your-own-model.dll"));
        start.Environment["OMP_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)), "the example did not finish in 2 minutes");
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {await error}");

        var teacher = Regex.Match(output, @"^teacher: test AUC (\d\.\d{3})$", RegexOptions.Multiline);
        var student = Regex.Match(output, @"^student after (\d+) epochs: test f1 (\d\.\d{3}), AUC (\d\.\d{3})$", RegexOptions.Multiline);
        Assert.True(teacher.Success && student.Success, output);
        // The breast-cancer table is easy: both networks must be far better than chance, or the example teaches nothing.
        Assert.InRange(double.Parse(teacher.Groups[1].Value, CultureInfo.InvariantCulture), 0.95, 1.0);
        Assert.InRange(double.Parse(student.Groups[3].Value, CultureInfo.InvariantCulture), 0.9, 1.0);
    }
}
