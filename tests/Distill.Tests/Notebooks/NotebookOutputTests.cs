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
