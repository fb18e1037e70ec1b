using Distill.Cli;
using Distill.Training.Checkpoints;
using static Distill.Tests.Cli.CliRun;

namespace Distill.Tests.Cli;

/// <summary>Output folders are checked before training, checkpoint folders are locked, leftovers of killed writes are
/// removed, and errors go to stderr with their own exit codes.</summary>
public sealed class CliOutputTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-output-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string In(string name) => Path.Combine(folder, name);

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
        Assert.Equal(2, Checkpoint.ReadEpoch(In("checkpoints/teacher.ckpt")));
        Assert.False(File.Exists(In("stopped/runs.csv")));

        var resumed = Run(args);
        Assert.True(resumed.Code == 0, resumed.Output + resumed.Error);
        Assert.DoesNotContain("epoch 2/6", resumed.Output);
        Assert.Contains("epoch 3/6", resumed.Output);
        Assert.Equal(WithoutWallTime(In("straight/runs.csv")), WithoutWallTime(In("stopped/runs.csv")));
    }

    [Fact]
    public void TrainTeacherBindsItsSettingsIntoTheCheckpointAndRefusesOthersNamingBoth()
    {
        string[] first = ["train-teacher", "--epochs", "2", "--widths", "8", "--checkpoint", In("checkpoints"), "--out", In("runs"), "--quiet"];
        Assert.Equal(0, Run(first).Code);
        byte[] kept = File.ReadAllBytes(In("checkpoints/teacher.ckpt"));
        var other = Run([.. first, "--lr", "0.5", "--batch-size", "8", "--data-seed", "3"]);
        Assert.Equal((int)ExitCode.BadData, other.Code);
        Assert.Contains("other settings ('teacher widths [8], seed 0; data embedded breast cancer, split seed 0; epochs 2, batch 64, lr 0.001", other.Error);
        Assert.Contains("not those of this run ('teacher widths [8], seed 0; data embedded breast cancer, split seed 3; epochs 2, batch 8, lr 0.5", other.Error);
        Assert.Equal(kept, File.ReadAllBytes(In("checkpoints/teacher.ckpt")));
    }

    [Fact]
    public void ABeatGanCheckpointOfMoreEpochsIsNotCalledCompleteAndACorruptTeacherIsBlamedOnTheTeacher()
    {
        string[] args = ["reproduce", "beatgan", "--seeds", "1", "--teacher-epochs", "2", "--student-epochs", "2", "--method", "rec-kd",
                         "--checkpoint", In("checkpoints"), "--out", In("runs")];
        var first = Run(args);
        Assert.True(first.Code == 0, first.Output + first.Error);

        var fewer = Run("reproduce", "beatgan", "--seeds", "1", "--teacher-epochs", "2", "--student-epochs", "1", "--method", "rec-kd",
                        "--checkpoint", In("checkpoints"), "--out", In("runs"));
        Assert.Equal((int)ExitCode.BadData, fewer.Code);
        Assert.DoesNotContain("(2 of 1 epochs)", fewer.Output);
        Assert.Contains("holds 2 completed epochs, more than the 1 of this run", fewer.Error);

        string teacher = In("checkpoints/fold0-seed0-teacher.ckpt");
        byte[] bytes = File.ReadAllBytes(teacher);
        bytes[bytes.Length / 2] ^= 0x08;
        File.WriteAllBytes(teacher, bytes);
        var corrupt = Run(args);
        Assert.Equal((int)ExitCode.BadData, corrupt.Code);
        Assert.StartsWith($"bad data: Checkpoint '{teacher}' cannot be resumed:", corrupt.Error);
        Assert.DoesNotContain("student", corrupt.Error.Split('\n')[0]);
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
