using Distill.Data;
using Distill.Data.Ecg;
using Distill.Training;

namespace Distill.Experiments.BeatGan;

/// <summary>One model of a <c>reproduce beatgan</c> invocation, as read back from <c>beatgan-runs.csv</c>.</summary>
/// <param name="Method">"teacher", "student" or the distilled student's name ("student + rec-kd").</param>
/// <param name="Fold">Data fold.</param>
/// <param name="Seed">Seed of initialisation and batch order.</param>
/// <param name="TeacherSeed">Seed of the teacher a student was distilled from (its own seed for a teacher).</param>
/// <param name="Steps">Training steps of this model (0 for a teacher loaded from files).</param>
/// <param name="TrainBeats">Normal beats trained on.</param>
/// <param name="Metrics">Test figures by the names of the CSV columns: auc, ap, f1_best (threshold chosen on the test labels),
/// f1_at_val_threshold, specificity_N, recall_S, …; NaN where a figure does not exist.</param>
/// <param name="WallSeconds">Training wall time.</param>
/// <param name="Commit">Git commit of the code that ran.</param>
public sealed record BeatGanResultRun(string Method, int Fold, int Seed, int TeacherSeed, long Steps, long TrainBeats,
                                      IReadOnlyDictionary<string, double> Metrics, double WallSeconds, string Commit);

/// <summary>One teacher epoch, as read back from <c>beatgan-history.csv</c>: a point of the learning curve.</summary>
/// <param name="Fold">Data fold.</param>
/// <param name="Seed">The teacher's seed.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Steps">Steps taken by the end of the epoch.</param>
/// <param name="ValidationAuc">The validation AUC that selects the kept epoch.</param>
/// <param name="IsBest">Whether this epoch became the kept one when it ended.</param>
/// <param name="Seconds">Wall time of the epoch.</param>
/// <param name="Test">Test figures of this epoch's weights (auc, ap, f1_best, …), measured for the curve only.</param>
public sealed record BeatGanResultEpoch(int Fold, int Seed, int Epoch, long Steps, double ValidationAuc, bool IsBest, double Seconds,
                                        IReadOnlyDictionary<string, double> Test);

/// <summary>One test beat's raw reconstruction error under one model, as read back from <c>beatgan-scores.csv</c>.</summary>
/// <param name="Method">The model, as in <see cref="BeatGanResultRun.Method"/>.</param>
/// <param name="Fold">Data fold.</param>
/// <param name="Seed">The model's seed.</param>
/// <param name="Class">The beat's AAMI class; null for data without classes.</param>
/// <param name="Label">0 normal, 1 abnormal.</param>
/// <param name="Error">Mean squared reconstruction error (the anomaly score before min-max scaling).</param>
public sealed record BeatGanResultScore(string Method, int Fold, int Seed, AamiClass? Class, int Label, double Error);

/// <summary>One evaluation of the PyTorch reference (<c>tools/reference/beatgan_curve.py</c>), as read from its <c>curve.csv</c>.</summary>
/// <param name="Seed">The reference run's seed.</param>
/// <param name="Epoch">The epoch after which it was measured.</param>
/// <param name="Steps">Steps taken by then.</param>
/// <param name="Model">"current" (that epoch's weights, a point of the curve) or "best" (the kept best-validation model).</param>
/// <param name="ValidationAuc">The model's validation AUC.</param>
/// <param name="Test">Test figures by this library's names: auc, ap, f1_best, f1_at_val_threshold.</param>
public sealed record BeatGanReferencePoint(int Seed, int Epoch, long Steps, string Model, double ValidationAuc,
                                           IReadOnlyDictionary<string, double> Test);

/// <summary>Reads the files <c>distill reproduce beatgan</c> writes (<c>beatgan-runs.csv</c>, <c>beatgan-history.csv</c>,
/// <c>beatgan-scores.csv</c> with <c>--scores</c>), so that notebooks and reports are drawn from published runs, not retyped.</summary>
public static class BeatGanResultFiles
{
    /// <summary>The test-figure columns of <c>beatgan-runs.csv</c> (those of <c>beatgan-history.csv</c> carry a <c>test_</c> prefix).</summary>
    public static IReadOnlyList<string> MetricNames => BeatGanKdEvaluation.MetricNames;

    /// <summary>Every model of a <c>beatgan-runs.csv</c>.</summary>
    public static IReadOnlyList<BeatGanResultRun> Runs(string path)
    {
        var table = CsvTable.Read(path);
        return Enumerable.Range(0, table.Count).Select(r => new BeatGanResultRun(
            table.Text(r, "method"), (int)table.Integer(r, "fold"), (int)table.Integer(r, "seed"), (int)table.Integer(r, "teacher_seed"),
            table.Integer(r, "steps"), table.Integer(r, "train_beats"), MetricNames.ToDictionary(m => m, m => table.Number(r, m)),
            table.Number(r, "wall_seconds"), table.Text(r, "commit"))).ToArray();
    }

    /// <summary>Every teacher epoch of a <c>beatgan-history.csv</c>.</summary>
    public static IReadOnlyList<BeatGanResultEpoch> History(string path)
    {
        var table = CsvTable.Read(path);
        return Enumerable.Range(0, table.Count).Select(r => new BeatGanResultEpoch(
            (int)table.Integer(r, "fold"), (int)table.Integer(r, "seed"), (int)table.Integer(r, "epoch"), table.Integer(r, "steps"),
            table.Number(r, "val_auc"), table.Text(r, "is_best") == "true", table.Number(r, "seconds"),
            MetricNames.ToDictionary(m => m, m => table.Number(r, $"test_{m}")))).ToArray();
    }

    /// <summary>Every (model, test beat) error of a <c>beatgan-scores.csv</c>.</summary>
    public static IReadOnlyList<BeatGanResultScore> Scores(string path)
    {
        var table = CsvTable.Read(path);
        return Enumerable.Range(0, table.Count).Select(r => new BeatGanResultScore(
            table.Text(r, "method"), (int)table.Integer(r, "fold"), (int)table.Integer(r, "seed"), Class(table, r),
            (int)table.Integer(r, "label"), table.Number(r, "error"))).ToArray();
    }

    /// <summary>Every evaluation in a PyTorch reference run's <c>curve.csv</c> (<c>tools/reference/beatgan_curve.py</c>).</summary>
    public static IReadOnlyList<BeatGanReferencePoint> ReferenceCurve(string path)
    {
        var table = CsvTable.Read(path);
        (string Ours, string Theirs)[] names = [("auc", "test_auc"), ("ap", "test_ap"), ("f1_best", "test_best_f1"),
                                                ("f1_at_val_threshold", "f1_at_validation_threshold")];
        return Enumerable.Range(0, table.Count).Select(r => new BeatGanReferencePoint(
            (int)table.Integer(r, "seed"), (int)table.Integer(r, "epoch"), table.Integer(r, "steps"), table.Text(r, "model"),
            table.Number(r, "validation_auc"), names.ToDictionary(n => n.Ours, n => table.Number(r, n.Theirs)))).ToArray();
    }

    /// <summary>One row per method (first-seen order) with each named figure as mean ± std over the runs (seeds, folds).</summary>
    public static IReadOnlyList<ResultRow> Summarise(IEnumerable<BeatGanResultRun> runs, IReadOnlyList<string> metrics)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(metrics);
        return runs.GroupBy(r => r.Method)
                   .Select(g => new ResultRow(g.Key, metrics.ToDictionary(m => m, m => MeanStd.Of(g.Select(r => r.Metrics[m]).ToArray()))))
                   .ToArray();
    }

    private static AamiClass? Class(CsvTable table, int row)
    {
        string text = table.Text(row, "class");
        if (text.Length == 0) return null;
        return Enum.TryParse(text, out AamiClass c) && Enum.IsDefined(c) ? c
            : throw InvalidFileException.Of(table.FilePath, $"line {row + 2}: '{text}' is not an AAMI class ({string.Join(", ", Enum.GetNames<AamiClass>())})",
                                            "Write the file again with the command that produced it");
    }
}
