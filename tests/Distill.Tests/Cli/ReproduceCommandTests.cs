using Distill.Cli;
using Distill.Interop;
using Distill.Models.BeatGan;
using Distill.Runtime;

using Distill.Experiments.BeatGan;
using static Distill.Tests.Cli.CliRun;
namespace Distill.Tests.Cli;

public sealed class ReproduceCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-reproduce-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void QuickBeatGanReproductionRunsEndToEnd()
    {
        var (code, output) = RunCombined("reproduce", "beatgan", "--seeds", "1", "--teacher-epochs", "1", "--student-epochs", "1", "--out", folder);
        Assert.True(code == 0, output);
        Assert.Contains("| teacher | 1 |", output);
        Assert.Contains("| student + const-kd | 1 |", output);
        Assert.Contains("| student + crd | 1 |", output);
        // Every model's epoch line has a measured rate: students report their steps too, not only their epochs.
        string[] epochLines = output.Split('\n').Where(l => l.Contains(": epoch 1/1 done in ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(8, epochLines.Count(l => l.Contains(" student", StringComparison.Ordinal)));
        Assert.All(epochLines, l => Assert.DoesNotContain("? steps/s", l));
        // Every model's result line counts the models done of the experiment's, with an ETA for the rest.
        string[] results = output.Split('\n').Where(l => l.StartsWith("fold 0 seed 0 ", StringComparison.Ordinal) && l.Contains(" auc ") && !l.Contains(": epoch ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(Enumerable.Range(1, 9).Select(k => $"; {k} of 9 models"), results.Select(l => l[l.LastIndexOf("; ", StringComparison.Ordinal)..].Split(',')[0]));
        Assert.EndsWith("9 of 9 models, ETA 0 s", results[^1].TrimEnd());
        string[] csv = File.ReadAllLines(Path.Combine(folder, "beatgan-runs.csv"));
        Assert.Equal("data,fold,method,terms,seed,teacher_seed,sizes,epochs,steps,batch_size,learning_rate,train_beats,validation," +
                     "auc,ap,f1_best,f1_at_val_threshold,val_threshold,specificity_N,recall_S,recall_V,recall_F,recall_Q,commit,machine,wall_seconds", csv[0]);
        Assert.Equal(10, csv.Length); // teacher, student and seven single-term students for one seed
        Assert.StartsWith("embedded,0,student + crd,crd=0.01,0,0,\"nz 16, ngf 8, ndf 8\",1,2,16,", csv.Single(l => l.Contains("student + crd")));
        string[] history = File.ReadAllLines(Path.Combine(folder, "beatgan-history.csv"));
        Assert.Equal(2, history.Length); // the teacher's one epoch
        Assert.StartsWith("embedded,0,0,1,2,", history[1]);
        Assert.Contains("\"auc\":", File.ReadAllText(Path.Combine(folder, "beatgan-runs.json")).Replace(" ", ""));
    }

    [Fact]
    public void TeachersAloneGiveALearningCurveAndOneTeacherCanServeEverySeed()
    {
        var (code, output) = RunCombined("reproduce", "beatgan", "--seeds", "2", "--teacher-epochs", "2", "--teachers-only", "--out", folder);
        Assert.True(code == 0, output);
        Assert.Contains("batch 16, lr 0.001, teachers only (--teachers-only)", output);
        Assert.DoesNotContain("students:", output);
        string[] runs = File.ReadAllLines(Path.Combine(folder, "beatgan-runs.csv"));
        Assert.Equal(["teacher", "teacher"], runs.Skip(1).Select(l => l.Split(',')[2]));
        string[] history = File.ReadAllLines(Path.Combine(folder, "beatgan-history.csv"));
        Assert.Equal(5, history.Length); // two epochs of each seed's teacher
        Assert.All(history.Skip(1), l => Assert.NotEqual("", l.Split(',')[12])); // the test AUC of every epoch's weights

        (code, output) = RunCombined("reproduce", "beatgan", "--seeds", "2", "--teacher-seed", "0", "--teacher-epochs", "1", "--student-epochs", "1",
                             "--method", "rec-kd", "--out", folder);
        Assert.True(code == 0, output);
        runs = File.ReadAllLines(Path.Combine(folder, "beatgan-runs.csv"));
        Assert.Equal(["teacher", "student", "student + rec-kd", "student", "student + rec-kd"], runs.Skip(1).Select(l => l.Split(',')[2]));
        Assert.All(runs.Skip(1), l => Assert.Equal("0", l.Split(',')[5])); // every student distilled from the seed-0 teacher
        Assert.Equal(["0", "0", "1", "1"], runs.Skip(2).Select(l => l.Split(',')[4]));
    }

    [Fact]
    public void MitBihFoldProtocolRunsOnRecordHundred()
    {
        var (code, output) = RunCombined("reproduce", "beatgan", "--data", "mitbih", "--records", "100", "--folds", "0", "2", "--max-train-beats", "64",
            "--seeds", "1", "--teacher-epochs", "1", "--student-epochs", "1", "--method", "rec-kd+crd", "--out", folder);
        Assert.True(code == 0, output);
        Assert.Contains("Embedded MIT-BIH record 100", output);
        Assert.Contains("Fold 2 of 5: train 64 normal (of", output);
        Assert.Contains("| student + rec-kd + crd | 2 |", output); // pooled over two folds
        string[] csv = File.ReadAllLines(Path.Combine(folder, "beatgan-runs.csv"));
        Assert.Equal(7, csv.Length);
        Assert.Equal(3, csv.Count(l => l.StartsWith("mitbih,2,")));
        Assert.All(csv.Skip(1), l => Assert.Contains(",64,0.0001,64,", l)); // the paper's batch and learning rate, 64 training beats
    }

    [Fact]
    public void SavedTeachersReloadToTheSameScoresAndEveryTestBeatIsWritten()
    {
        var (code, output) = RunCombined("reproduce", "beatgan", "--seeds", "1", "--teacher-epochs", "1", "--teachers-only", "--save-teachers",
                                 "--scores", "--out", folder);
        Assert.True(code == 0, output);
        var (g, d) = Distill.Experiments.BeatGan.BeatGanKdExperiment.TeacherFiles(Path.Combine(folder, "teachers"), 0, 0);
        string[] trained = File.ReadAllLines(Path.Combine(folder, "beatgan-scores.csv"));
        Assert.Equal("data,fold,seed,method,beat,class,label,error", trained[0]);
        int testBeats = Distill.Experiments.BeatGan.BeatGanKdData.Load().TestLabels.Length;
        Assert.Equal(testBeats + 1, trained.Length);

        string reloaded = Path.Combine(folder, "reloaded");
        (code, output) = RunCombined("reproduce", "beatgan", "--teacher", g, "--teacher-discriminator", d, "--seeds", "1", "--teachers-only",
                             "--scores", "--out", reloaded);
        Assert.True(code == 0, output);
        string[] again = File.ReadAllLines(Path.Combine(reloaded, "beatgan-scores.csv"));
        Assert.Equal(trained, again); // the .pt files hold exactly the kept weights: every test beat's error is the same
    }

    [Theory]
    [InlineData(new[] { "--data", "ptb" }, "--data names the data set ('embedded' or 'mitbih'), got 'ptb'.")]
    [InlineData(new[] { "--folds", "1" }, "--folds applies to --data mitbih only")]
    [InlineData(new[] { "--data", "mitbih", "--folds", "5" }, "--folds takes whole numbers in 0..4, got 5.")]
    [InlineData(new[] { "--data", "mitbih", "--records", "100", "999" }, "not MIT-BIH records: 999")]
    [InlineData(new[] { "--method", "kd" }, "Unknown BeatGAN distillation term 'kd'")]
    [InlineData(new[] { "--lr", "0" }, "--lr must be a positive number")]
    [InlineData(new[] { "--validation", "test" }, "--validation must be 'authors' or 'eval'")]
    [InlineData(new[] { "--seeds", "1", "--teacher-epochs", "1", "--student-epochs", "1", "--teachers-only", "--method", "rec-kd" }, "--teachers-only trains no student; pass --method or --teachers-only, not both.")]
    public void BadUsageIsExitCodeTwo(string[] args, string message)
    {
        var (code, output) = RunCombined(["reproduce", "beatgan", .. args]);
        Assert.Equal(2, code);
        Assert.Contains(message, output);
    }

    [Fact]
    public void ATeacherFromPyTorchFilesReplacesTheTrainedOne()
    {
        string g = Path.Combine(folder, "G.pt"), d = Path.Combine(folder, "D.pt");
        Reproducibility.Seed(42);
        using (var generator = new BeatGanGenerator(new BeatGanOptions())) generator.SavePyTorch(g, PyTorchLayouts.BeatGanGenerator(generator));
        using (var discriminator = new BeatGanDiscriminator(new BeatGanOptions())) discriminator.SavePyTorch(d, PyTorchLayouts.BeatGanDiscriminator(discriminator));

        var (code, output) = RunCombined("reproduce", "beatgan", "--teacher", g, "--teacher-discriminator", d, "--seeds", "2",
            "--student-epochs", "1", "--method", "rec-kd", "--out", folder);

        Assert.True(code == 0, output);
        // The loaded teacher's row records the truth: no epoch was trained here.
        Assert.All(File.ReadAllLines(Path.Combine(folder, "beatgan-runs.csv")).Where(l => l.Contains(",teacher,")),
                   l => Assert.Equal(["0", "0"], l.Split(',')[9..11])); // epochs and steps; the quoted sizes hold two commas
        var teacherLines = output.Split('\n').Where(l => l.StartsWith("fold ", StringComparison.Ordinal) && l.Contains(" teacher ")).Select(l => l[l.IndexOf("auc", StringComparison.Ordinal)..l.IndexOf('(')]).ToArray();
        Assert.Equal(2, teacherLines.Length);
        Assert.Equal(teacherLines[0], teacherLines[1]); // the same file for both seeds, nothing trained
        Assert.Contains("| teacher | 2 |", output);
    }

    [Fact]
    public void TeacherFilesOfOtherSizesAreBadDataNamingTheKeys()
    {
        string g = Path.Combine(folder, "G.pt"), d = Path.Combine(folder, "D.pt");
        var small = new BeatGanOptions(LatentSize: 8, GeneratorWidth: 4, DiscriminatorWidth: 4);
        using (var generator = new BeatGanGenerator(small)) generator.SavePyTorch(g, PyTorchLayouts.BeatGanGenerator(generator));
        using (var discriminator = new BeatGanDiscriminator(small)) discriminator.SavePyTorch(d, PyTorchLayouts.BeatGanDiscriminator(discriminator));

        var (code, output) = RunCombined("reproduce", "beatgan", "--teacher", g, "--teacher-discriminator", d, "--seeds", "1", "--out", folder);

        Assert.Equal(3, code);
        Assert.Contains("encoder1.main.0.weight", output);
        var (usage, message) = RunCombined("reproduce", "beatgan", "--teacher", g);
        Assert.Equal(2, usage);
        Assert.Contains("--teacher and --teacher-discriminator go together", message);
    }

    [Fact]
    public void MissingMitBihRecordsAreBadDataWithTheDownloadCommand()
    {
        var (code, output) = RunCombined("reproduce", "beatgan", "--data", "mitbih", "--cache", folder, "--seeds", "1");
        Assert.Equal(3, code);
        Assert.Contains("distill data mitbih --download", output);
        Assert.Contains("--records 100", output);
    }
}
