using System.Diagnostics;
using System.Runtime.InteropServices;
using Distill.Cli;
using static Distill.Tests.Cli.CliRun;

namespace Distill.Tests.Cli;

/// <summary>The real <c>distill</c> process, stopped the ways users stop it: SIGINT (Ctrl-C) mid-training, and kill -9 while it
/// writes a checkpoint; the same command then resumes and ends as an uninterrupted run.</summary>
public sealed class CliProcessTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-process-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string In(string name) => Path.Combine(folder, name);

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    // A test run started as a background job of a shell without job control (`./test.sh &` in a script, some CI runners)
    // inherits SIGINT ignored, and so would the child: .NET keeps an inherited SIG_IGN, as shells expect. The child is
    // therefore started through coreutils' `env --default-signal=INT`, which gives it the disposition a terminal gives.
    private static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("env") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--default-signal=INT");
        start.ArgumentList.Add("dotnet");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "distill.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        // The child computes what the in-process runs below compare with: on some CPUs (this AMD EPYC) one and two torch
        // threads round differently, so the child gets this process's thread count.
        start.Environment["OMP_NUM_THREADS"] = TorchSharp.torch.get_num_threads().ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Process.Start(start)!;
    }

    private static string[] WithoutWallTime(string csv) => File.ReadAllLines(csv).Select(l => l[..l.LastIndexOf(',')]).ToArray();

    // Enough epochs that the signal lands long before the end (30 epochs of this run take about a second on a fast machine).
    private const string Epochs = "200";

    [Fact]
    public async Task SigintStopsAfterTheCheckpointWithExitCode130AndTheSameCommandResumes()
    {
        if (OperatingSystem.IsWindows()) return; // POSIX signals
        string[] args = ["train-teacher", "--epochs", Epochs, "--batch-size", "4", "--widths", "8", "--patience", "1000",
                         "--checkpoint", In("checkpoints"), "--out", In("stopped")];
        using var child = Start(args);
        var error = child.StandardError.ReadToEndAsync();
        string? line;
        bool signalled = false;
        while ((line = child.StandardOutput.ReadLine()) is not null)
            if (!signalled && line.Contains("epoch 3/" + Epochs, StringComparison.Ordinal))
            {
                Assert.Equal(0, Kill(child.Id, 2)); // SIGINT, as Ctrl-C sends
                signalled = true;
            }
        Assert.True(child.WaitForExit(TimeSpan.FromMinutes(2)));
        Assert.True(signalled, "the run ended before epoch 3");
        string message = (await error).Trim();
        Assert.True(child.ExitCode == (int)ExitCode.Interrupted, $"exit {child.ExitCode}: {message}");
        var stopped = System.Text.RegularExpressions.Regex.Match(message, @"^stopped after epoch (\d+) of the teacher; rerun the same command to resume\.$");
        Assert.True(stopped.Success, message);
        int epoch = int.Parse(stopped.Groups[1].Value);
        Assert.InRange(epoch, 3, int.Parse(Epochs) - 1);

        var resumed = Run(args);
        Assert.True(resumed.Code == 0, resumed.Output + resumed.Error);
        Assert.DoesNotContain($"epoch {epoch}/{Epochs}", resumed.Output);
        Assert.Contains($"epoch {epoch + 1}/{Epochs}", resumed.Output);
        var straight = Run(["train-teacher", "--epochs", Epochs, "--batch-size", "4", "--widths", "8", "--patience", "1000", "--out", In("straight"), "--quiet"]);
        Assert.Equal(0, straight.Code);
        Assert.Equal(WithoutWallTime(In("straight/runs.csv")), WithoutWallTime(In("stopped/runs.csv")));
    }

    [Fact]
    public void KillNineWhileACheckpointIsWrittenThenTheSameCommandResumesAndCleansUp()
    {
        string[] args = ["reproduce", "beatgan", "--seeds", "1", "--teacher-epochs", "4", "--student-epochs", "1", "--method", "rec-kd",
                         "--checkpoint", In("checkpoints"), "--out", In("killed")];
        Directory.CreateDirectory(In("checkpoints"));
        using var watcher = new FileSystemWatcher(In("checkpoints"), "*.tmp");
        using var child = Start(args);
        int writes = 0;
        bool killed = false;
        // Kill on the third checkpoint write's temporary file: the process dies while it writes, after two complete epochs.
        watcher.Created += (_, _) =>
        {
            if (Interlocked.Increment(ref writes) == 3)
            {
                try { child.Kill(); killed = true; } catch (InvalidOperationException) { }
            }
        };
        watcher.EnableRaisingEvents = true;
        _ = child.StandardOutput.ReadToEndAsync();
        _ = child.StandardError.ReadToEndAsync();
        Assert.True(child.WaitForExit(TimeSpan.FromMinutes(5)));
        watcher.EnableRaisingEvents = false;
        Assert.True(killed, $"the run finished before its third checkpoint write (exit {child.ExitCode})");
        Assert.Equal(137, child.ExitCode); // 128 + SIGKILL

        var resumed = Run(args);
        Assert.True(resumed.Code == 0, resumed.Output + resumed.Error);
        Assert.Contains("fold 0 seed 0 teacher: resumes from", resumed.Output);
        Assert.Empty(Directory.GetFiles(In("checkpoints"), "*.tmp")); // the killed write's leftover is gone
        var straight = Run(["reproduce", "beatgan", "--seeds", "1", "--teacher-epochs", "4", "--student-epochs", "1", "--method", "rec-kd",
                                "--out", In("straight")]);
        Assert.Equal(0, straight.Code);
        Assert.Equal(WithoutWallTime(In("straight/beatgan-runs.csv")), WithoutWallTime(In("killed/beatgan-runs.csv")));
    }
}
