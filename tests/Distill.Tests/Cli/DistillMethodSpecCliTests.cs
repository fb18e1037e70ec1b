using System.Text.Json;
using Distill.Cli;
using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Training;
using static Distill.Tests.Cli.CliRun;

namespace Distill.Tests.Cli;

/// <summary><c>distill distill --method</c> with method specs: one student per spec, named by it in every output, and the
/// grammar's errors as usage errors.</summary>
public sealed class DistillMethodSpecCliTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-cli-specs-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string In(string name) => Path.Combine(folder, name);

    [Fact]
    public void EachSpecTrainsOneStudentNamedByItAndEqualToTheLibrarysStudent()
    {
        var result = Run("distill", "--method", "none", "kd", "kd+fitnet=100", "crd+kd", "--seeds", "1", "--epochs", "1", "--teacher-widths", "8",
                         "--student-widths", "4", "--checkpoint", In("checkpoints"), "--out", In("runs"), "--quiet");
        Assert.True(result.Code == 0, result.Output + result.Error);
        Assert.Equal([".distill.lock", "crd+kd-seed0.ckpt", "kd+fitnet-seed0.ckpt", "kd-seed0.ckpt", "none-seed0.ckpt", "teacher.ckpt"],
                     Directory.GetFiles(In("checkpoints")).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        using var json = JsonDocument.Parse(File.ReadAllText(In("runs/runs.json")));
        var runs = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(["none", "kd", "kd+fitnet", "crd+kd"], runs.Select(r => r.GetProperty("method").GetString()));
        Assert.Equal(["", "kd=1", "kd=1+fitnet=100", "crd=0.8+kd=1"], runs.Select(r => r.GetProperty("terms").GetString()));
        Assert.Equal([null, 1.0, null, null], runs.Select(r => r.GetProperty("weight").ValueKind == JsonValueKind.Null ? (double?)null : r.GetProperty("weight").GetDouble()));
        string[] csv = File.ReadAllLines(In("runs/runs.csv"));
        Assert.StartsWith("distill,crd+kd,0,0,10 4,1,1,1,64,0.001,,crd=0.8+kd=1,", csv[4]);

        // The same students through the library: the teacher as 'train-teacher --seed 0' trains it, then each spec's student.
        var options = new TrainingOptions(Epochs: 1, BatchSize: 64, LearningRate: 1e-3, EarlyStoppingPatience: 20);
        var data = TeacherStudentData.BreastCancer(seed: 0);
        var (teacher, _) = TabularDistillation.TrainTeacher(data, [8], options, seed: 0);
        var composed = TabularDistillationCombined.Train(data, teacher,
            TabularDistillationCombined.Prepare(data, teacher, MethodSpec.Parse("crd+kd"), [4], seed: 0), options);
        var kd = TabularDistillation.TrainStudent(data, teacher, DistillationMethod.Kd, [4], options, seed: 0);
        Assert.Equal(composed.Test.Metrics, Metrics(runs[3]));
        Assert.Equal(kd.Test.Metrics, Metrics(runs[1]));
    }

    [Fact]
    public void TheWeightOptionSetsEveryOneMethodSpecAndNamesItsFiles()
    {
        var result = Run("distill", "--method", "kd", "none", "--weight", "2", "--seeds", "1", "--epochs", "1", "--teacher-widths", "8",
                         "--student-widths", "4", "--checkpoint", In("checkpoints"), "--out", In("runs"), "--quiet");
        Assert.True(result.Code == 0, result.Output + result.Error);
        Assert.True(File.Exists(In("checkpoints/kd=2-seed0.ckpt")) && File.Exists(In("checkpoints/none-seed0.ckpt")));
        using var json = JsonDocument.Parse(File.ReadAllText(In("runs/runs.json")));
        Assert.Equal(["kd=2", "none"], json.RootElement.EnumerateArray().Select(r => r.GetProperty("method").GetString()));
        Assert.Equal(2.0, json.RootElement[0].GetProperty("weight").GetDouble());
    }

    [Theory]
    [InlineData("--method kdd", "--method: Unknown distillation method 'kdd' in 'kdd'; choose from none, kd, soft-ce, dkd, fitnet, at, ofd, sp, rkd, " +
                                "pkt, nst, cc, vid, ft, ab, fsp, crd.")]
    [InlineData("--method kd+kd", "--method: 'kd+kd' names kd twice; give each term once with its total weight.")]
    [InlineData("--method nce", "--method: The distillation method 'nce' in 'nce' was renamed to 'soft-ce'; write 'soft-ce'.")]
    [InlineData("--method kd=-1", "--method: The weight of 'kd' in 'kd=-1' must be a non-negative number, got '-1'.")]
    [InlineData("--method none+kd", "--method: 'none+kd' combines none with other terms; none means no distillation method at all: give it alone.")]
    [InlineData("--method kd+ --weight 2", "--method: 'kd+' has an empty distillation method name; join names with a single '+', e.g. 'kd+soft-ce'.")]
    [InlineData("--method kd kd+fitnet --weight 2", "--weight: 'kd+fitnet' gives each method its weight in the spec; a separate weight applies " +
                                                    "to one method without '=weight' only: write the weights into the spec, e.g. 'kd=1+fitnet=100'.")]
    [InlineData("--method kd=3 --weight 2", "--weight: 'kd=3' gives its own weight in the spec; a separate weight applies to one method without " +
                                            "'=weight' only: write the weights into the spec, e.g. 'kd=3'.")]
    [InlineData("--method kd+fitnet --weight abc", "--weight takes a finite number, got 'abc'.")]
    [InlineData("--method kd --weight -5", "--weight must be a non-negative number, got -5.")]
    public void BadSpecsAreUsageErrorsWhoseFirstLineNamesTheProblem(string arguments, string firstLine)
    {
        var result = Run(["distill", "--epochs", "1", "--out", In("runs"), .. arguments.Split(' ')]);
        Assert.Equal((int)ExitCode.BadUsage, result.Code);
        Assert.Equal(firstLine, result.Error.Split('\n')[0].TrimEnd('\r'));
        Assert.False(Directory.Exists(In("runs")), "nothing runs on a usage error");
    }

    [Theory]
    [InlineData("nst", "usage: --method nst: NST compares neurons' selectivity over positions of a feature map [B, C, L];")]
    [InlineData("kd+fsp", "usage: --method kd+fsp: FSP matches the student's and the teacher's Gram matrices between consecutive blocks, " +
                          "so the last two blocks must have equal widths in both networks (student [4], teacher [8]).")]
    public void AMethodNotDefinedForTheWidthsIsAUsageErrorBeforeAnythingTrains(string spec, string firstLine)
    {
        var result = Run("distill", "--method", "kd", spec, "--seeds", "1", "--epochs", "1", "--teacher-widths", "8", "--student-widths", "4",
                         "--checkpoint", In("checkpoints"), "--out", In("runs"));
        Assert.Equal((int)ExitCode.BadUsage, result.Code);
        Assert.StartsWith(firstLine, result.Error.Split('\n')[0]);
        Assert.DoesNotContain("epoch", result.Output);
        Assert.False(File.Exists(In("checkpoints/teacher.ckpt")), "no teacher is trained for a spec that cannot run");
    }

    [Fact]
    public void BeatGanRecipesGiveTheSameErrorsInTheSameWords()
    {
        var result = Run("reproduce", "beatgan", "--method", "rec-kd+rec-kd", "--out", In("runs"));
        Assert.Equal((int)ExitCode.BadUsage, result.Code);
        Assert.Equal("--method: 'rec-kd+rec-kd' names rec-kd twice; give each term once with its total weight.", result.Error.Split('\n')[0].TrimEnd('\r'));
    }

    private static Dictionary<string, double> Metrics(JsonElement run)
        => run.GetProperty("test").EnumerateObject().ToDictionary(m => m.Name, m => m.Value.GetDouble());
}
