using Distill.Cli;
using static Distill.Tests.Cli.CliRun;

namespace Distill.Tests.Cli;

/// <summary>Every malformed command line is a one-line usage error with exit code 2: no stack trace, no allocation of an
/// absurd size (old option spellings: <see cref="CliConsistencyTests"/>).</summary>
public sealed class CliUsageTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-usage-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("distill --epochs abc", "--epochs takes a whole number, got 'abc'.")]
    [InlineData("distill --epochs 99999999999", "--epochs must be at most 1000000, got 99999999999.")]
    [InlineData("distill --lr abc", "--lr takes a finite number, got 'abc'.")]
    [InlineData("distill --lr NaN", "--lr takes a finite number, got 'NaN'.")]
    [InlineData("distill --seeds abc", "--seeds takes a whole number, got 'abc'.")]
    [InlineData("distill --seeds 2147483647", "--seeds must be at most 1000, got 2147483647.")]
    [InlineData("distill --student-widths 8 x", "--student-widths takes whole numbers, got 'x'.")]
    [InlineData("distill --student-widths 2000000000", "--student-widths takes whole numbers in 1..65536, got 2000000000.")]
    [InlineData("distill --patience 1e3", "--patience takes a whole number, got '1e3'.")]
    [InlineData("distill --weight -5", "--weight must be a non-negative number, got -5.")]
    [InlineData("distill --batch-size 1", "--batch-size must be at least 2, got 1.")]
    [InlineData("train-teacher --widths 0", "--widths takes whole numbers in 1..65536, got 0.")]
    [InlineData("reproduce beatgan --seeds abc", "--seeds takes a whole number, got 'abc'.")]
    [InlineData("reproduce beatgan --data mitbih --folds x", "--folds takes whole numbers, got 'x'.")]
    [InlineData("reproduce beatgan --data mitbih --folds 1 1", "--folds names a value twice: 1 1.")]
    [InlineData("reproduce beatgan --teacher-epochs 2.5", "--teacher-epochs takes a whole number, got '2.5'.")]
    [InlineData("reproduce beatgan --student-epochs 0", "--student-epochs must be at least 1, got 0.")]
    [InlineData("reproduce beatgan --lr -1", "--lr must be a positive number, got -1.")]
    public void UnparsableOrAbsurdNumbersAreUsageErrors(string arguments, string message)
    {
        var result = Run(arguments.Split(' '));
        Assert.True(result.Code == (int)ExitCode.BadUsage, result.Output + result.Error);
        Assert.Equal(message, result.Error.Split('\n')[0].TrimEnd());
        Assert.DoesNotContain("   at ", result.Error); // no stack trace
        Assert.Empty(result.Output);
    }

    [Fact]
    public void ALoadedTeacherWithTeacherEpochsIsRefusedRatherThanRecordedAsTrained()
    {
        var result = Run("reproduce", "beatgan", "--teacher", "g.pt", "--teacher-discriminator", "d.pt", "--teacher-epochs", "3");
        Assert.Equal((int)ExitCode.BadUsage, result.Code);
        Assert.Contains("--teacher-epochs applies to a teacher trained here", result.Error);
    }

    [Fact]
    public void HelpListsEveryExitCode()
    {
        var result = Run("--help");
        Assert.Equal(0, result.Code);
        foreach (var code in Enum.GetValues<ExitCode>()) Assert.Contains($" {(int)code} ", result.Output.Replace("\n", " ") + " ");
    }
}

/// <summary>The READMEs' exit-code tables list every code the command line can return, and nothing else.</summary>
public class ExitCodeTests
{
    [Theory]
    [InlineData("README.md")]
    [InlineData("cli/Distill.Cli/README.md")]
    public void TheExitCodeTableListsEveryExitCode(string readme)
    {
        var rows = File.ReadAllLines(Path.Combine(Distill.Tests.Notebooks.NotebookRunner.RepositoryRoot, readme))
                       .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^\| (\d+) \|"))
                       .Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).ToArray();
        Assert.Equal(Enum.GetValues<ExitCode>().Select(c => (int)c), rows);
    }
}
