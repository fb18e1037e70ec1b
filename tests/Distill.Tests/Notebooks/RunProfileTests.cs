using Distill.Notebooks;

namespace Distill.Tests.Notebooks;

/// <summary>The reader's choice of profile in a notebook's first cell, and the environment variable that overrides it for
/// the tests.</summary>
public class RunProfileTests
{
    [Theory]
    [InlineData("quick", null, "quick")]
    [InlineData("full", "", "full")]
    [InlineData("Quick ", "  ", "quick")]
    [InlineData("full", "quick", "quick")]
    [InlineData("quick", "full", "full")]
    public void TheEnvironmentOverridesTheNotebooksChoice(string chosen, string? environment, string expected)
    {
        var profile = RunProfile.Resolve(chosen, environment);
        Assert.Equal(expected, profile.Name);
        Assert.Equal(expected == "quick", profile.IsQuick);
        Assert.Equal(expected == "quick" ? 2 : 150, profile.Pick(full: 150, quick: 2));
    }

    [Theory]
    [InlineData("fast", null)]
    [InlineData("fast", "quick")]
    [InlineData("full", "qiuck")]
    public void AMisspeltProfileIsRefusedEvenWhenOverridden(string chosen, string? environment)
    {
        var error = Assert.Throws<ArgumentException>(() => RunProfile.Resolve(chosen, environment));
        Assert.Contains("'quick' or 'full'", error.Message);
    }

    [Theory]
    [MemberData(nameof(NotebookRunner.All), MemberType = typeof(NotebookRunner))]
    public void EveryNotebookChoosesItsProfileInTheFirstCellBeforeSetup(string notebook)
    {
        var first = DibNotebook.Read(Path.Combine(NotebookRunner.RepositoryRoot, "notebooks", notebook)).First(c => c.IsCode);
        var lines = first.Lines.ToList();
        int choose = lines.FindIndex(l => l.TrimStart().StartsWith("RunProfile.Choose(\"", StringComparison.Ordinal));
        int setup = lines.FindIndex(l => l.Contains("NotebookEnvironment.Setup(", StringComparison.Ordinal));
        Assert.True(choose >= 0, $"{notebook}: the first cell has no RunProfile.Choose(\"full\" or \"quick\") line.");
        Assert.True(choose < setup, $"{notebook}: RunProfile.Choose must come before NotebookEnvironment.Setup, which prints the profile.");
    }

    [Fact]
    public void TheTestsRunANotebookThatChoosesFullInTheQuickProfile()
    {
        // 01 chooses "full" in its first cell; the test harness sets DISTILL_PROFILE=quick, which must win.
        var run = NotebookRunner.Execute("01-teacher-training.dib");
        Assert.True(run.Succeeded, $"01 did not run: {string.Join("; ", run.Errors)}");
        string setup = File.ReadAllText(run.Ipynb);
        Assert.Contains("profile 'quick'", setup);
        Assert.DoesNotContain("profile 'full'", setup);
    }
}
