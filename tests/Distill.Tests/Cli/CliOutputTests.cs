using Distill.Cli;
using Distill.Training.Checkpoints;

namespace Distill.Tests.Cli;

/// <summary>Output folders are checked before training, checkpoint folders are locked, leftovers of killed writes are
/// removed, and errors go to stderr with their own exit codes.</summary>
public sealed class CliOutputTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-output-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string In(string name) => Path.Combine(folder, name);

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = DistillCommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("train-teacher")]
    [InlineData("distill")]
    [InlineData("reproduce beatgan")]
    public void AnUnwritableOutFolderFailsBeforeAnyTraining(string command)
    {
        File.WriteAllText(In("a-file"), "not a folder");
        var result = Run([.. command.Split(' '), "--out", In("a-file")]);
        Assert.True(result.Code == (int)ExitCode.OutputFailed, result.Output + result.Error);
        Assert.StartsWith($"cannot write output: cannot write to the --out folder '{In("a-file")}'", result.Error);
        Assert.Contains("nothing was trained", result.Error);
        Assert.DoesNotContain("epoch", result.Output);
    }

    [Fact]
    public void AProcFolderIsAnOutputErrorNotBadData()
    {
        var result = Run("train-teacher", "--epochs", "1", "--out", "/proc/distill-cannot-exist");
        Assert.Equal((int)ExitCode.OutputFailed, result.Code);
        Assert.StartsWith("cannot write output: ", result.Error);
    }

    [Fact]
    public void ASecondRunOnALockedCheckpointFolderIsRefused()
    {
        using (CheckpointLock.Acquire(In("checkpoints")))
        {
            var result = Run("distill", "--method", "kd", "--seeds", "1", "--epochs", "1", "--teacher-widths", "8", "--checkpoint", In("checkpoints"),
                             "--out", In("runs"), "--quiet");
            Assert.Equal((int)ExitCode.CheckpointInUse, result.Code);
            Assert.StartsWith($"checkpoint in use: The checkpoint folder '{In("checkpoints")}' is in use by another distill run", result.Error);
            Assert.False(File.Exists(In("checkpoints/teacher.ckpt")));
        }
        // Released: the folder is usable again.
        Assert.Equal(0, Run("distill", "--method", "kd", "--seeds", "1", "--epochs", "1", "--teacher-widths", "8", "--checkpoint", In("checkpoints"),
                            "--out", In("runs"), "--quiet").Code);
    }

    [Fact]
    public void LeftoversOfKilledWritesOfTheSameCheckpointAreRemovedAndNothingElse()
    {
        Directory.CreateDirectory(In("checkpoints"));
        string ours = In($"checkpoints/.teacher.ckpt.{Guid.NewGuid():N}.tmp");
        string live = In($"checkpoints/.teacher.ckpt.{Guid.NewGuid():N}.tmp");
        string other = In($"checkpoints/.other.ckpt.{Guid.NewGuid():N}.tmp");
        string unrelated = In("checkpoints/.teacher.ckpt.notes.tmp");
        foreach (var path in new[] { ours, live, other, unrelated }) File.WriteAllBytes(path, new byte[1000]);
        using (new FileStream(live, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) // a write in progress
        {
            var result = Run("train-teacher", "--epochs", "1", "--widths", "8", "--checkpoint", In("checkpoints"), "--out", In("runs"), "--quiet");
            Assert.True(result.Code == 0, result.Output + result.Error);
        }
        Assert.False(File.Exists(ours));
        Assert.True(File.Exists(live));
        Assert.True(File.Exists(other));
        Assert.True(File.Exists(unrelated));
    }

    [Fact]
    public void AStopRequestEndsAfterTheCheckpointWithExitCode130AndTheRerunResumes()
    {
        string[] args = ["train-teacher", "--epochs", "6", "--widths", "8", "--checkpoint", In("checkpoints"), "--out", In("stopped")];
        var straight = Run(["train-teacher", "--epochs", "6", "--widths", "8", "--out", In("straight"), "--quiet"]);
        Assert.Equal(0, straight.Code);

        using var stop = new StopRequest();
        var error = new StringWriter();
        int code = DistillCommandLine.Run(args, new SignalAfter("epoch 2/6", stop), error, stop);
        Assert.Equal((int)ExitCode.Interrupted, code);
        Assert.Equal("stopped after epoch 2 of the teacher; rerun the same command to resume.", error.ToString().Trim());
        Assert.Equal(2, TrainingCheckpoint.ReadState(In("checkpoints/teacher.ckpt")).Epoch);
        Assert.False(File.Exists(In("stopped/runs.csv")));

        var resumed = Run(args);
        Assert.True(resumed.Code == 0, resumed.Output + resumed.Error);
        Assert.DoesNotContain("epoch 2/6", resumed.Output);
        Assert.Contains("epoch 3/6", resumed.Output);
        Assert.Equal(WithoutWallTime(In("straight/runs.csv")), WithoutWallTime(In("stopped/runs.csv")));
    }

    private static string[] WithoutWallTime(string csv) => File.ReadAllLines(csv).Select(l => l[..l.LastIndexOf(',')]).ToArray();

    /// <summary>Console output that requests a SIGINT stop once <paramref name="trigger"/> is printed.</summary>
    private sealed class SignalAfter(string trigger, StopRequest stop) : StringWriter
    {
        public override void Write(string? value)
        {
            base.Write(value);
            if (ToString().Contains(trigger)) stop.Request(System.Runtime.InteropServices.PosixSignal.SIGINT);
        }

        public override void Write(char value)
        {
            base.Write(value);
            if (value == '\n' && ToString().Contains(trigger)) stop.Request(System.Runtime.InteropServices.PosixSignal.SIGINT);
        }
    }
}
