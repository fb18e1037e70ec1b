using System.Text.Json;
using System.Text.RegularExpressions;

namespace Distill.Tests.Notebooks;

/// <summary>What the executed notebooks (quick profile) print, checked across notebooks.</summary>
public sealed partial class NotebookOutputTests
{
    [Fact]
    public void TheTeachersOfNotebooks01And02StartFromTheSameState()
    {
        // Both train the breast-cancer teacher [30, 256, 1024, 256] with seed 0. A forward pass in training mode before
        // training (01's shape check once did one) moves BatchNorm's running statistics and changes epoch 1 of 01 alone.
        string first = FirstEpoch(NotebookRunner.Execute("01-teacher-training.dib"));
        string second = FirstEpoch(NotebookRunner.Execute("02-kl-vs-negative-cross-entropy.dib"));
        Assert.Equal(first, second);
    }

    [Fact]
    public void Notebook07ShowsATransferSetWithoutThreesAndThePapersFiguresBesideOurs()
    {
        var run = NotebookRunner.Execute("07-omitted-class.dib");
        var texts = PlainTexts(run);
        // The class-count table: "transfer set  968  0  107 109 106 0 109 ...": the digit_3 column is 0.
        Assert.Contains(texts, t => TransferRow().IsMatch(t));
        // The comparison table: the paper's 98.6% of test 3s (14 errors on 1010) beside ours.
        Assert.Contains(texts, t => t.Contains("distilled + bias: omitted class recognised", StringComparison.Ordinal)
                                    && t.Contains("98.61%", StringComparison.Ordinal));
    }

    private static IReadOnlyList<string> PlainTexts(ExecutedNotebook run)
    {
        Assert.True(run.Succeeded, $"{run.Notebook} did not run: {string.Join("; ", run.Errors)}");
        using var document = JsonDocument.Parse(File.ReadAllText(run.Ipynb));
        return document.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.TryGetProperty("outputs", out _))
            .SelectMany(c => c.GetProperty("outputs").EnumerateArray())
            .Where(o => o.TryGetProperty("data", out var d) && d.TryGetProperty("text/plain", out _))
            .Select(o => string.Concat(o.GetProperty("data").GetProperty("text/plain").EnumerateArray().Select(l => l.GetString())))
            .ToArray();
    }

    [GeneratedRegex(@"transfer set\s+[\d,]+\s+0\s+(\d+ ){3}0 ")]
    private static partial Regex TransferRow();

    // "loss 0.3223  val f1 0.9647  val loss 0.1083" of the first "epoch 1/N" line a notebook printed.
    private static string FirstEpoch(ExecutedNotebook run)
    {
        Assert.True(run.Succeeded, $"{run.Notebook} did not run: {string.Join("; ", run.Errors)}");
        using var document = JsonDocument.Parse(File.ReadAllText(run.Ipynb));
        var texts = document.RootElement.GetProperty("cells").EnumerateArray()
            .Where(c => c.TryGetProperty("outputs", out _))
            .SelectMany(c => c.GetProperty("outputs").EnumerateArray())
            .Where(o => o.TryGetProperty("data", out var d) && d.TryGetProperty("text/plain", out _))
            .Select(o => string.Concat(o.GetProperty("data").GetProperty("text/plain").EnumerateArray().Select(l => l.GetString())));
        var epoch = texts.Select(t => EpochOne().Match(t)).FirstOrDefault(m => m.Success);
        Assert.True(epoch is not null, $"{run.Notebook} printed no 'epoch 1/N' line.");
        return epoch.Groups[1].Value;
    }

    [GeneratedRegex(@"epoch 1/\d+\s+(loss \S+\s+val f1 \S+\s+val loss \S+)")]
    private static partial Regex EpochOne();
}
