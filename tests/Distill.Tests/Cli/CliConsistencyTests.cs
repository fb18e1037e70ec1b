using System.CommandLine;
using System.Text.RegularExpressions;
using Distill.Cli;
using Spectre.Console;

namespace Distill.Tests.Cli;

/// <summary>One name per concept, with one meaning, in every command: <c>--data NAME</c>, <c>--out DIR</c> (one default
/// folder), <c>--checkpoint DIR</c>, <c>--method SPEC...</c>; the spellings of earlier releases are usage errors (exit 2) whose
/// first line names the new spelling, in every command that had them.</summary>
public sealed class CliConsistencyTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-consistency-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static Command Root() => DistillCommandLine.Create(
        new Terminal(AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) }), TextWriter.Null, new StopRequest()));

    // Every command that runs, by the words that name it.
    private static IEnumerable<(string Path, Command Command)> Leaves(Command command, string path = "")
        => command.Subcommands.Count == 0 ? [(path.Trim(), command)]
            : command.Subcommands.SelectMany(c => Leaves(c, $"{path} {c.Name}"));

    private static (int Code, string Error) Run(string arguments)
    {
        var error = new StringWriter();
        int code = DistillCommandLine.Run(arguments.Split(' '), TextWriter.Null, error);
        return (code, error.ToString().Split('\n')[0].TrimEnd());
    }

    [Fact]
    public void AnOptionNamedInSeveralCommandsTakesTheSameKindOfValueInEach()
    {
        var leaves = Leaves(Root()).ToArray();
        Assert.Equal(["train-teacher", "distill", "data mitbih", "reproduce beatgan"], leaves.Select(l => l.Path));
        var kinds = leaves.SelectMany(l => l.Command.Options.Where(o => !o.Hidden).Select(o => (l.Path, o.Name,
                                                                                               Type: Nullable.GetUnderlyingType(o.ValueType) ?? o.ValueType)))
                          .GroupBy(o => o.Name).Where(g => g.Select(o => o.Type).Distinct().Count() > 1)
                          .Select(g => $"{g.Key}: {string.Join(", ", g.Select(o => $"{o.Path} {o.Type.Name}"))}");
        Assert.Empty(kinds);
        foreach (string shared in new[] { "--data", "--out", "--checkpoint", "--method" })
            Assert.True(leaves.Count(l => l.Command.Options.Any(o => o.Name == shared && !o.Hidden)) >= 2, shared);
        Assert.All(leaves.SelectMany(l => l.Command.Options).Where(o => o.Name is "--out" or "--checkpoint"),
                   o => Assert.Equal(typeof(DirectoryInfo), Nullable.GetUnderlyingType(o.ValueType) ?? o.ValueType));
    }

    [Fact]
    public void EveryCommandWithADefaultOutputFolderHasTheSameOne()
    {
        var defaults = Leaves(Root()).SelectMany(l => l.Command.Options).Where(o => o.Name == "--out" && o.HasDefaultValue)
                                     .Select(o => ((DirectoryInfo)o.GetDefaultValue()!).Name).ToArray();
        Assert.Equal(3, defaults.Length); // train-teacher, distill, reproduce beatgan (data mitbih --export-fold requires --out)
        Assert.All(defaults, d => Assert.Equal(CommonOptions.DefaultOutputFolder, d));
    }

    [Theory]
    [InlineData("train-teacher --data breast-cancer --out {0}/o --checkpoint {0}/c")]
    [InlineData("distill --data breast-cancer --method none kd+fitnet=100 --out {0}/o --checkpoint {0}/c")]
    [InlineData("reproduce beatgan --data embedded --method none rec-kd+crd=0.05 --out {0}/o --checkpoint {0}/c")]
    [InlineData("reproduce beatgan --data mitbih --teachers-only --out {0}/o --checkpoint {0}/c")]
    [InlineData("data mitbih --export-fold 0 --out {0}/o")]
    public void TheNewSpellingsParseInEveryCommand(string arguments)
    {
        var parse = Root().Parse(string.Format(System.Globalization.CultureInfo.InvariantCulture, arguments, folder).Split(' '));
        Assert.Empty(parse.Errors.Select(e => e.Message));
    }

    [Theory]
    [InlineData("train-teacher --output t.pt", "'--output' was renamed to '--out': the teacher is saved as teacher.pt in the --out folder, next to runs.csv")]
    [InlineData("distill --output runs", "'--output' was renamed to '--out'.")]
    [InlineData("reproduce beatgan --output runs", "'--output' was renamed to '--out'.")]
    [InlineData("data mitbih --export-fold 0 --output fold0", "'--output' was renamed to '--out'.")]
    [InlineData("train-teacher --data my.csv", "--data names the data set ('breast-cancer'), got 'my.csv'. '--data PATH' was renamed to '--csv PATH': pass a CSV as --csv my.csv.")]
    [InlineData("distill --data my.csv", "--data names the data set ('breast-cancer'), got 'my.csv'. '--data PATH' was renamed to '--csv PATH': pass a CSV as --csv my.csv.")]
    [InlineData("reproduce beatgan --seeds 1 --teacher-epochs 1 --teachers-only --data beats.npy", "--data names the data set ('embedded' or 'mitbih'), got 'beats.npy'. MIT-BIH records of your own: --data mitbih --cache DIR.")]
    [InlineData("reproduce beatgan --students rec-kd", "'--students' was renamed to '--method': the specs of 'distill --method', where 'none' is the student " +
                                                      "without distillation; for the teachers alone ('--students none' before) pass --teachers-only")]
    [InlineData("reproduce beatgan --students none", "'--students' was renamed to '--method': the specs of 'distill --method', where 'none' is the student " +
                                                     "without distillation; for the teachers alone ('--students none' before) pass --teachers-only")]
    public void OldSpellingsAreUsageErrorsNamingTheNewOne(string arguments, string firstLine)
    {
        var (code, error) = Run(arguments);
        Assert.Equal((int)ExitCode.BadUsage, code);
        Assert.Equal(firstLine, error);
    }

    [Fact]
    public void TrainTeacherCheckpointNamingAFileIsAUsageErrorNamingTheFolderRule()
    {
        var (code, error) = Run($"train-teacher --epochs 1 --checkpoint {folder}/teacher.ckpt --out {folder}/o");
        Assert.Equal((int)ExitCode.BadUsage, code);
        Assert.StartsWith("usage: --checkpoint takes a folder (it took a file in train-teacher before)", error);
    }

    /// <summary>Every command line the READMEs show parses without an error: a renamed option cannot linger in the docs.</summary>
    [Theory]
    [InlineData("README.md", 3)]
    [InlineData("cli/Distill.Cli/README.md", 9)]
    [InlineData("results/mitbih/README.md", 6)]
    public void TheReadmesCommandLinesParse(string readme, int count)
    {
        var commands = ReadmeCommands(File.ReadAllText(Path.Combine(Distill.Tests.Notebooks.NotebookRunner.RepositoryRoot, readme))).ToArray();
        Assert.Equal(count, commands.Length);
        foreach (var command in commands)
        {
            var parse = Root().Parse(command);
            Assert.True(parse.Errors.Count == 0, $"{string.Join(" ", command)}: {string.Join("; ", parse.Errors.Select(e => e.Message))}");
        }
    }

    // The arguments of every 'cli/Distill.Cli -- ...' or '$D ...' line of the fenced code blocks, continuation lines joined and
    // shell variables expanded (NAME="..." assignments of the block; any other variable becomes 0).
    private static IEnumerable<string[]> ReadmeCommands(string markdown)
    {
        var blocks = Regex.Matches(markdown.Replace("\r", ""), "```[a-z]*\n(.*?)```",
                                                                   RegexOptions.Singleline);
        foreach (string block in blocks.Select(b => b.Groups[1].Value.Replace("\\\n", " ")))
        {
            var variables = new Dictionary<string, string>();
            foreach (string raw in block.Split('\n'))
            {
                string line = raw.Trim();
                if (Regex.Match(line, "^([A-Za-z_]+)=\"([^\"]*)\"") is { Success: true } assignment)
                    variables[assignment.Groups[1].Value] = assignment.Groups[2].Value;
                int start = line.IndexOf("cli/Distill.Cli -- ", StringComparison.Ordinal) is int i and >= 0 ? i + "cli/Distill.Cli -- ".Length
                          : line.StartsWith("$D ", StringComparison.Ordinal) ? 3 : -1;
                if (start < 0) continue;
                string arguments = line[start..].Split(" #")[0];
                arguments = Regex.Replace(arguments, "\\$([A-Za-z_]+)",
                                                                       m => variables.GetValueOrDefault(m.Groups[1].Value, "0"));
                yield return Regex.Matches(arguments, "'([^']*)'|(\\S+)")
                                  .Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToArray();
            }
        }
    }

    [Fact]
    public void NoneMeansTheStudentWithoutDistillationInBothCommands()
    {
        var output = new StringWriter();
        int code = DistillCommandLine.Run(["reproduce", "beatgan", "--seeds", "1", "--teacher-epochs", "1", "--student-epochs", "1", "--method", "none",
                                           "--out", Path.Combine(folder, "o")], output, output);
        Assert.True(code == 0, output.ToString());
        Assert.Contains("students: none (the baseline)\n", output.ToString().Replace("\r", ""));
        string[] runs = File.ReadAllLines(Path.Combine(folder, "o", "beatgan-runs.csv"));
        Assert.Equal(["teacher", "student"], runs.Skip(1).Select(l => l.Split(',')[2])); // the plain student alone, no distilled one
    }
}
