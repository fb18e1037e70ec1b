using System.Text.Json;
using System.Text.RegularExpressions;
using Distill.Cli;

namespace Distill.Tests.Cli;

/// <summary><c>distill distill --checkpoint DIR</c>: one file per run, and a rerun after a crash ends as an uninterrupted run.</summary>
public sealed class DistillCheckpointCliTests : IDisposable
{
    private const string Crash = "crd seed 0 epoch 1/2";
    private readonly string folder = Directory.CreateTempSubdirectory("distill-cli-checkpoint-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string In(string name) => Path.Combine(folder, name);

    // A small configuration; CRD is in it because its memory banks are what a resume used to lose.
    private string[] Arguments(string output, params string[] extra)
        => ["distill", "--method", "kd", "crd", "--seeds", "1", "--epochs", "2", "--batch-size", "128", "--teacher-widths", "8",
            "--student-widths", "4", "--out", In(output), .. extra];

    private static (int Code, string Output, string Error) Run(string[] args, TextWriter? output = null)
    {
        output ??= new StringWriter();
        var error = new StringWriter();
        int code;
        try
        {
            code = DistillCommandLine.Run(args, output, error);
        }
        catch (SimulatedCrash)
        {
            code = -1;
        }
        // Long lines wrap at the console's width; whitespace is collapsed so that messages can be matched whole.
        return (code, Regex.Replace(output.ToString()!, @"\s+", " "), error.ToString());
    }

    [Fact]
    public void ARerunAfterACrashResumesEveryUnfinishedRunAndGivesTheUninterruptedMetrics()
    {
        var straight = Run(Arguments("straight"));
        Assert.True(straight.Code == 0, straight.Output + straight.Error);

        string[] resumable = Arguments("resumable", "--checkpoint", In("checkpoints"));
        var crashed = Run(resumable, new CrashingWriter(Crash));
        Assert.NotEqual(0, crashed.Code);
        Assert.Contains(Crash, crashed.Output);
        Assert.Equal([".distill.lock", "crd-seed0.ckpt", "kd-seed0.ckpt", "teacher.ckpt"],
                     Directory.GetFiles(In("checkpoints")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.False(File.Exists(In("resumable/runs.json")), "the crashed invocation should not have finished");

        var resumed = Run(resumable);
        Assert.True(resumed.Code == 0, resumed.Output + resumed.Error);
        Assert.Contains("teacher is complete in", resumed.Output);
        Assert.Contains("kd seed 0 is complete in", resumed.Output);
        Assert.Contains($"crd seed 0 resumes from {In("checkpoints/crd-seed0.ckpt")} after epoch 1 of 2", resumed.Output);
        Assert.DoesNotContain("crd seed 0 epoch 1/2", resumed.Output); // epoch 1 is not trained again
        Assert.Contains("crd seed 0 epoch 2/2", resumed.Output);

        var expected = Runs("straight");
        var actual = Runs("resumable");
        Assert.Equal(expected.Select(r => (r.Method, r.EpochsRun, r.BestEpoch)), actual.Select(r => (r.Method, r.EpochsRun, r.BestEpoch)));
        Assert.Equal(expected.Select(r => r.Test), actual.Select(r => r.Test));
    }

    [Fact]
    public void ARunWithOtherSettingsIsRefusedAndTheFileKept()
    {
        string[] first = Arguments("runs", "--checkpoint", In("checkpoints"), "--quiet");
        Assert.Equal(0, Run(first).Code);
        byte[] kept = File.ReadAllBytes(In("checkpoints/kd-seed0.ckpt"));

        var other = Run(first.Select(a => a == "4" ? "5" : a).ToArray()); // --student-widths 5
        Assert.Equal((int)ExitCode.BadData, other.Code);
        Assert.Contains("kd-seed0.ckpt' cannot be resumed: it was written by a run with other settings ('student kd=1, widths [10, 4];", other.Error);
        Assert.Contains("not those of this run ('student kd=1, widths [10, 5];", other.Error);
        Assert.Equal(kept, File.ReadAllBytes(In("checkpoints/kd-seed0.ckpt")));
    }

    [Fact]
    public void HelpExplainsTheCheckpointFolder()
    {
        var help = Run(["distill", "--help"]);
        Assert.Contains("--checkpoint", help.Output);
        Assert.Contains("METHOD-seedN.ckpt", help.Output);
    }

    private sealed record RunLine(string Method, int EpochsRun, int BestEpoch, Dictionary<string, double> Test);

    private RunLine[] Runs(string output)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(In($"{output}/runs.json")));
        return json.RootElement.EnumerateArray().Select(r => new RunLine(
            r.GetProperty("method").GetString()!, r.GetProperty("epochs_run").GetInt32(), r.GetProperty("best_epoch").GetInt32(),
            r.GetProperty("test").EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetDouble()))).ToArray();
    }

    private sealed class SimulatedCrash() : Exception("simulated crash");

    /// <summary>Console output that fails once <paramref name="trigger"/> has been written, as a process killed right after
    /// printing that epoch's line would (its checkpoint is written before the line).</summary>
    private sealed class CrashingWriter(string trigger) : StringWriter
    {
        private bool crashed;

        public override void Write(char value)
        {
            base.Write(value);
            Check();
        }

        public override void Write(string? value)
        {
            base.Write(value);
            Check();
        }

        public override void Write(char[] buffer, int index, int count)
        {
            base.Write(buffer, index, count);
            Check();
        }

        private void Check()
        {
            if (crashed || !ToString().Contains(trigger, StringComparison.Ordinal)) return;
            crashed = true;
            throw new SimulatedCrash();
        }
    }
}
