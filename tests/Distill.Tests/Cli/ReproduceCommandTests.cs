using Distill.Cli;

namespace Distill.Tests.Cli;

public sealed class ReproduceCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-reproduce-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static (int Code, string Output) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = DistillCommandLine.Run(args, output, error);
        return (code, output + error.ToString());
    }

    [Fact]
    public void QuickBeatGanReproductionRunsEndToEnd()
    {
        var (code, output) = Run("reproduce", "beatgan", "--seeds", "1", "--teacher-epochs", "1", "--student-epochs", "1", "--out", folder);
        Assert.True(code == 0, output);
        Assert.Contains("| teacher | 1 |", output);
        Assert.Contains("| student + const-kd | 1 |", output);
        string[] csv = File.ReadAllLines(Path.Combine(folder, "beatgan-runs.csv"));
        Assert.Equal("method,seed,auc,ap,f1", csv[0]);
        Assert.Equal(9, csv.Length); // teacher, student and six single-term students for one seed
    }

    [Fact]
    public void UnavailableDataIsBadUsage()
    {
        var (code, output) = Run("reproduce", "beatgan", "--data", "mitbih");
        Assert.Equal(2, code);
        Assert.Contains("only 'embedded' is wired in", output);
    }
}
