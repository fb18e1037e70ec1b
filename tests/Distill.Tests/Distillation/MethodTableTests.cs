using System.Globalization;
using Distill.Distillation;
using Distill.Distillation.BeatGan;
using Distill.Tests.Notebooks;

namespace Distill.Tests.Distillation;

/// <summary>The README's tables of methods are the registry's: a method added, renamed or reweighted there fails this test
/// until the README says so (the expected table is in the failure message, ready to paste).</summary>
public class MethodTableTests
{
    private static readonly string Readme = File.ReadAllText(Path.Combine(NotebookRunner.RepositoryRoot, "README.md"));

    [Fact]
    public void TheReadmesTabularMethodTableIsTheRegistrys()
    {
        var rows = MlpDistillation.Methods.Select(m => Row(
            $"`{m.Name}`", $"`{m.Method}`", $"{m.Paper.Authors}, *{m.Paper.Title}*, {m.Paper.Venue} {m.Paper.Year}", Number(m.DefaultWeight),
            string.Join(", ", m.Aliases.Prepend(m.Method.ToString()).Where(a => !a.Equals(m.Name, StringComparison.OrdinalIgnoreCase)).Select(a => $"`{a}`"))));
        string expected = string.Join("\n", ["| spec name | C# (`DistillationMethod`) | paper | default weight | also read as |", "|---|---|---|---|---|", .. rows]);
        Assert.True(Section("methods") == expected, $"README.md's method table differs from MlpDistillation.Methods; it should read:\n{expected}");
    }

    [Fact]
    public void TheReadmesBeatGanTermTableIsTheRegistrys()
    {
        var vocabulary = BeatGanKdTerms.Vocabulary;
        var rows = vocabulary.Terms.Select(t => Row($"`{vocabulary.Name(t)}`", $"`{t}`", Number(vocabulary.DefaultWeight(t))));
        string expected = string.Join("\n", ["| spec name | C# (`BeatGanKdTerm`) | default weight |", "|---|---|---|", .. rows]);
        Assert.True(Section("beatgan-terms") == expected, $"README.md's BeatGAN term table differs from BeatGanKdTerms; it should read:\n{expected}");
    }

    private static string Section(string name)
    {
        string begin = $"<!-- {name}: generated from the registry, checked by MethodTableTests -->\n", end = $"\n<!-- {name}: end -->";
        int start = Readme.IndexOf(begin, StringComparison.Ordinal);
        Assert.True(start >= 0, $"README.md has no '{begin.Trim()}' marker");
        start += begin.Length;
        return Readme[start..Readme.IndexOf(end, start, StringComparison.Ordinal)];
    }

    private static string Row(params string[] cells) => "|" + string.Concat(cells.Select(c => c.Length == 0 ? " |" : $" {c} |"));

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
