using System.Text.Json;
using Distill.Cli;
using static Distill.Tests.Cli.CliRun;

namespace Distill.Tests.Cli;

public sealed class DistillCliTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-cli-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string In(string name) => Path.Combine(folder, name);

    [Fact]
    public void QuickPathTrainsATeacherThenDistilsAndWritesEveryRun()
    {
        var teacher = Run("train-teacher", "--epochs", "2", "--widths", "16", "8", "--out", In("teacher-runs"), "--checkpoint", In("checkpoints"));
        Assert.True(teacher.Code == 0, teacher.Output + teacher.Error);
        Assert.True(File.Exists(In("teacher-runs/teacher.pt")) && File.Exists(In("checkpoints/teacher.ckpt")));
        Assert.Contains("epoch 2/2", teacher.Output);

        var students = Run("distill", "--teacher", In("teacher-runs/teacher.pt"), "--teacher-widths", "16", "8", "--method", "none", "kd",
                           "--seeds", "2", "--epochs", "2", "--out", In("runs"));
        Assert.True(students.Code == 0, students.Output + students.Error);
        Assert.Contains("test auc", students.Output);
        string[] csv = File.ReadAllLines(In("runs/runs.csv"));
        Assert.Equal(5, csv.Length); // header + 2 methods x 2 seeds
        Assert.StartsWith("command,method,seed,data_seed,widths,epochs,epochs_run,best_epoch,batch_size,learning_rate,weight,", csv[0]);
        using var json = JsonDocument.Parse(File.ReadAllText(In("runs/runs.json")));
        var runs = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(["none", "none", "kd", "kd"], runs.Select(r => r.GetProperty("method").GetString()));
        Assert.Equal(["", "", "kd=1", "kd=1"], runs.Select(r => r.GetProperty("terms").GetString()));
        Assert.Equal([0, 1, 0, 1], runs.Select(r => r.GetProperty("seed").GetInt32()));
        Assert.All(runs, r => Assert.InRange(r.GetProperty("test").GetProperty("auc").GetDouble(), 0, 1));
        Assert.All(runs, r => Assert.True(r.GetProperty("wall_seconds").GetDouble() > 0));
    }

    [Theory]
    [InlineData("--epochs 0", "--epochs must be at least 1, got 0.")]
    [InlineData("--lr -1", "--lr must be a positive number, got -1.")]
    [InlineData("--method kdd", "--method: Unknown distillation method 'kdd' in 'kdd'; choose from none, kd,")]
    [InlineData("--seeds 0", "--seeds must be at least 1")]
    [InlineData("--student-widths 0", "--student-widths takes whole numbers in 1..65536, got 0.")]
    [InlineData("--no-such-option", "--no-such-option")]
    public void BadUsageExitsWith2AndSaysWhatIsWrong(string arguments, string message)
    {
        var result = Run(["distill", .. arguments.Split(' ')]);
        Assert.Equal((int)ExitCode.BadUsage, result.Code);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public void MissingOrCorruptDataAndMismatchedTeachersExitWith3()
    {
        var missing = Run("train-teacher", "--csv", In("absent.csv"), "--epochs", "1", "--out", In("r"));
        Assert.True(missing.Code == (int)ExitCode.BadData, missing.Output + missing.Error);
        Assert.StartsWith("bad data: ", missing.Error);
        Assert.Contains("absent.csv' does not exist", missing.Error);

        File.WriteAllText(In("bad.csv"), "569,30,malignant,benign\n1,2,3\n");
        var corrupt = Run("train-teacher", "--csv", In("bad.csv"), "--epochs", "1", "--out", In("r"));
        Assert.Equal((int)ExitCode.BadData, corrupt.Code);
        Assert.Contains("bad.csv", corrupt.Error);

        Assert.Equal(0, Run("train-teacher", "--epochs", "1", "--widths", "8", "--out", In("r"), "--quiet").Code);
        var mismatch = Run("distill", "--teacher", In("r/teacher.pt"), "--teacher-widths", "16", "--epochs", "1", "--seeds", "1", "--out", In("r"));
        Assert.Equal((int)ExitCode.BadData, mismatch.Code);
        Assert.Contains("Layer_List.0.linear.0.weight: file [8, 30] Float32, model [16, 30] Float32", mismatch.Error);
    }

    [Fact]
    public void ADivergingRunExitsWith4NamingTheTerm()
    {
        // A weight beyond float32's range turns the weighted KD term into infinity on the first batch.
        var result = Run("distill", "--method", "kd", "--weight", "1e39", "--seeds", "1", "--epochs", "1", "--teacher-widths", "8", "--out", In("r"), "--quiet");
        Assert.Equal((int)ExitCode.TrainingFailed, result.Code);
        Assert.StartsWith("training failed: ", result.Error);
        Assert.Contains("epoch 1, batch 1", result.Error);
    }
}
