using System.Text.RegularExpressions;

namespace Distill.Tests.Notebooks;

/// <summary>What every notebook's text must satisfy for a reader: lines that fit a page, cells that can be re-run, and the
/// run time stated before anything runs. Read from the .dib files; nothing is executed.</summary>
public sealed partial class NotebookTextTests
{
    /// <summary>The longest code line a notebook may have (issue 16: "lines of code at most ~110 characters").</summary>
    public const int MaxCodeLine = 110;

    private static IReadOnlyList<DibCell> Cells(string notebook) =>
        DibNotebook.Read(Path.Combine(NotebookRunner.RepositoryRoot, "notebooks", notebook));

    [Theory]
    [MemberData(nameof(NotebookRunner.All), MemberType = typeof(NotebookRunner))]
    public void EveryCodeLineFitsInTheWidth(string notebook)
    {
        var longLines = Cells(notebook).Where(c => c.IsCode)
            .SelectMany(c => c.Lines.Select((text, i) => (Line: c.FirstLine + i, text.Length)))
            .Where(l => l.Length > MaxCodeLine).ToArray();
        Assert.True(longLines.Length == 0, $"{notebook}: code lines longer than {MaxCodeLine} characters: " +
                                           string.Join(", ", longLines.Select(l => $"line {l.Line} ({l.Length})")));
    }

    [Theory]
    [MemberData(nameof(NotebookRunner.All), MemberType = typeof(NotebookRunner))]
    public void NoTopLevelNameIsDeclaredTwice(string notebook)
    {
        // A name declared by two cells makes re-running the first one's readers use the second one's value.
        var twice = DibNotebook.TopLevelDeclarations(Cells(notebook)).GroupBy(d => d.Name).Where(g => g.Count() > 1)
            .Select(g => $"'{g.Key}' at lines {string.Join(", ", g.Select(d => d.Line))}").ToArray();
        Assert.True(twice.Length == 0, $"{notebook} declares names twice: {string.Join("; ", twice)}");
    }

    [Theory]
    [MemberData(nameof(NotebookRunner.All), MemberType = typeof(NotebookRunner))]
    public void TheTitleCellSaysHowLongBothProfilesTake(string notebook)
    {
        var title = Cells(notebook).First(c => !c.IsCode);
        int start = title.Lines.ToList().FindIndex(l => l.Contains("**Run time**", StringComparison.Ordinal));
        Assert.True(start >= 0, $"{notebook}: its first markdown cell has no '**Run time**' paragraph (full and quick profile).");
        string paragraph = string.Join(" ", title.Lines.Skip(start).TakeWhile(l => l.Trim().Length > 0));
        Assert.True(RunTime().IsMatch(paragraph), $"{notebook}: the run-time paragraph must give a duration for the full and the " +
                                                  $"quick profile, e.g. 'full profile about 3 min, quick profile about 20 s': {paragraph}");
    }

    // Notebooks whose text quotes no figure of a run (issue 16): every figure the text discusses is printed by a cell, so
    // no quoted figure can drift from the output. What remains in the markdown are the method's constants and section
    // numbers, listed here with their meaning; a decimal not in the list fails the test.
    [Theory]
    [InlineData("02-kl-vs-negative-cross-entropy.dib", "2.5 (quoted from Hinton et al., Sec. 3)")]
    [InlineData("03-feature-distillation.dib",
                "3.2 (section of Park et al.), 4.6 (ln 100), 0.7 (ln 2), 0.5 (the balanced rule's weighted term), " +
                "0.1 (RKD's balanced weight)")]
    [InlineData("04-contrastive-representation-distillation.dib",
                "3.2 3.4 (sections of Tian et al.), 0.07 (T), 0.6 0.8 (Normalize(3, 4); beta), 0.5 (momentum mu), " +
                "0.71 (0.5 / sqrt(0.5)), 0.99 0.01 1% (running-Z momentum)")]
    [InlineData("05-beatgan-distillation.dib", "0.5 (AUC of a random score), 0.1 (a tuning factor)")]
    [InlineData("06-reproducing-beatgan-on-mitbih.dib", "")]
    [InlineData("07-omitted-class.dib", "1503.02531 (arXiv number), 3.5 98.6% (quoted from Hinton et al., Sec. 3), 0.25 (bias grid step)")]
    public void TheTextQuotesNoFigureOfARun(string notebook, string constants)
    {
        var allowed = FigureInText().Matches(constants).Select(m => m.Value).ToHashSet();
        var typed = Cells(notebook).Where(c => !c.IsCode)
            .SelectMany(c => c.Lines.Select((text, i) => (Line: c.FirstLine + i, text)))
            .SelectMany(l => FigureInText().Matches(l.text).Select(m => (l.Line, Figure: m.Value)))
            .Where(f => !allowed.Contains(f.Figure)).ToArray();
        Assert.True(typed.Length == 0, $"{notebook} quotes figures in its text that no cell prints (print them from the run): " +
                                       string.Join(", ", typed.Select(f => $"{f.Figure} (line {f.Line})")));
    }

    [Fact]
    public void DeclarationsAreFoundAndOtherStatementsAreNot()
    {
        string[] declaring = ["var rows = 1;", "int a = 0, b = Math.Max(1, 2);", "FeatureOutput pass;", "Tensor[] Gradients(Tensor loss)",
                              "var (teacher, result) = Train();", "IReadOnlyList<int> counts = [];", "bool? seen = null;"];
        Assert.Equal(["rows", "a", "b", "pass", "Gradients", "teacher", "result", "counts", "seen"],
                     declaring.SelectMany(DibNotebook.DeclaredNames));
        string[] others = ["rows = 2;", "status.Update(\"x\");", "using (no_grad()) pass = f(x);", "display(Table.From(x));",
                           "    var inner = 1;", "// var commented = 1;", "return x;", "teacher.train(wasTraining);",
                           "Table.Fields(new { a = 1, b = 2 })", "foreach (var p in ps) p.grad = null;"];
        Assert.Empty(others.SelectMany(DibNotebook.DeclaredNames));
    }

    [Fact]
    public void ATwiceDeclaredNameAndItsCellsAreReported()
    {
        var cells = DibNotebook.Parse("#!meta\n\n{}\n\n#!csharp\n\nvar rows = arange(16L);\n\n#!markdown\n\n# t\n\n" +
                                      "#!csharp\n\nvar runs = Run();\nvar rows = Summarise(runs);\n");
        Assert.Equal(3, cells.Count);
        var rows = DibNotebook.TopLevelDeclarations(cells).Where(d => d.Name == "rows").ToArray();
        Assert.Equal([1, 3], rows.Select(d => d.Cell.Index));
        Assert.Equal([7, 16], rows.Select(d => d.Line));
    }

    // A decimal number or a percentage: what a quoted result looks like (integers are sizes, epochs, equation numbers).
    [GeneratedRegex(@"\d+\.\d+|\d+%")]
    private static partial Regex FigureInText();

    [GeneratedRegex(@"full[^.;]*?\d+(\.\d+)?\s*(s|min|minutes?|h|hours?)\b.*quick[^.;]*?\d+(\.\d+)?\s*(s|min|minutes?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex RunTime();
}
