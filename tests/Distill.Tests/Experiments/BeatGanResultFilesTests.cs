using Distill.Cli;
using Distill.Data.Ecg;
using Distill.Experiments.BeatGan;
using Distill.Metrics;

namespace Distill.Tests.Experiments;

public sealed class BeatGanResultFilesTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("distill-results-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void PublishedFilesReadBackAndTheRunsFiguresFollowFromItsScores()
    {
        var output = new StringWriter();
        int code = DistillCommandLine.Run(["reproduce", "beatgan", "--seeds", "1", "--teacher-epochs", "2", "--student-epochs", "1",
                                           "--method", "rec-kd", "--scores", "--out", folder], output, output);
        Assert.True(code == 0, output.ToString());

        var runs = BeatGanResultFiles.Runs(Path.Combine(folder, "beatgan-runs.csv"));
        Assert.Equal(["teacher", "student", "student + rec-kd"], runs.Select(r => r.Method));
        var history = BeatGanResultFiles.History(Path.Combine(folder, "beatgan-history.csv"));
        Assert.Equal([1, 2], history.Select(e => e.Epoch));
        Assert.Equal(runs[0].Steps, history[^1].Steps);
        Assert.Single(history, e => e.IsBest && e.Test["auc"] is > 0 and <= 1);

        var scores = BeatGanResultFiles.Scores(Path.Combine(folder, "beatgan-scores.csv"));
        foreach (var run in runs)
        {
            var mine = scores.Where(s => s.Method == run.Method).ToArray();
            Assert.NotEmpty(mine);
            // Independent of the CLI's own evaluation: the AUC recomputed from the written errors equals the written AUC.
            var evaluation = BinaryEvaluation.Of(mine.Select(s => s.Error).ToArray(), mine.Select(s => s.Label).ToArray());
            Assert.Equal(run.Metrics["auc"], evaluation.RocAuc, 12);
            Assert.Equal(run.Metrics["ap"], evaluation.AveragePrecision, 12);
        }

        var summary = BeatGanResultFiles.Summarise(runs, ["auc", "ap"]);
        Assert.Equal(runs.Select(r => r.Method), summary.Select(r => r.Method));
        Assert.Equal(runs[2].Metrics["auc"], summary[2].Metrics["auc"].Mean);
    }

    [Fact]
    public void AScoreOfAnUnknownClassIsBadDataNamingTheLine()
    {
        string path = Path.Combine(folder, "beatgan-scores.csv");
        File.WriteAllText(path, "data,fold,seed,method,beat,class,label,error\nmitbih,0,0,teacher,0,X,1,0.5\n");
        var error = Assert.Throws<Distill.Data.InvalidFileException>(() => BeatGanResultFiles.Scores(path));
        Assert.Contains("line 2: 'X' is not an AAMI class", error.Message);
    }

    [Fact]
    public void TheReferenceCurveIsReadUnderThisLibrarysNames()
    {
        string path = Path.Combine(folder, "curve.csv");
        File.WriteAllText(path, "epoch,steps,model,model_epoch,validation_auc,test_auc,test_ap,test_best_f1,f1_at_validation_threshold,seed\n" +
                                "1,250,current,1,0.81,0.83,0.7,0.6,0.5,0\n2,500,best,1,0.81,0.84,0.71,0.61,0.51,0\n");
        var points = BeatGanResultFiles.ReferenceCurve(path);
        Assert.Equal([250L, 500L], points.Select(p => p.Steps));
        Assert.Equal(["current", "best"], points.Select(p => p.Model));
        Assert.Equal(0.84, points[1].Test["auc"]);
        Assert.Equal(0.71, points[1].Test["ap"]);
        Assert.Equal(0.61, points[1].Test["f1_best"]);
        Assert.Equal(0.51, points[1].Test["f1_at_val_threshold"]);
        Assert.Equal(0.81, points[0].ValidationAuc);
    }

    [Fact]
    public void FoldCountsReadBackFromTheExportDescription()
    {
        var beats = MitBihSource.Require(["100"], Path.GetTempPath()).Segment().Beats;
        var report = BeatGanFoldExport.Write(BeatGanFolds.Split(beats, 0), folder, "record 100", BeatSegmentationOptions.BeatGanAuthors,
                                             new BeatGanFoldOptions());
        var counts = BeatGanFoldCounts.Read(Path.Combine(folder, "fold.json"));
        foreach (string split in BeatGanFoldExport.Splits)
            Assert.Equal(report.Counts[split], counts[split]);
        Assert.True(counts["test"][AamiClass.N] > 0);

        File.WriteAllText(Path.Combine(folder, "fold.json"), "{\"counts\": {\"train\": {}}}");
        Assert.Throws<Distill.Data.InvalidFileException>(() => BeatGanFoldCounts.Read(Path.Combine(folder, "fold.json")));
    }
}
