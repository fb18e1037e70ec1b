using Distill.Distillation.BeatGan;
using Distill.Training;

namespace Distill.Experiments.BeatGan;

/// <summary>The table of a BeatGAN distillation experiment run in this process: each method's figures as mean ± std over
/// its seeds and folds.</summary>
/// <remarks>Figures are named as in <see cref="BeatGanKdEvaluation.ToMetrics"/> and in the CSV files
/// <see cref="BeatGanResultFiles"/> reads, so a live run and a published one give the same table.</remarks>
public static class BeatGanKdSummary
{
    /// <summary>Test ROC AUC, AP, <c>f1_best</c> (the best F1 over thresholds chosen on the test labels: the figure of Zhou
    /// et al., IJCAI 2019, and of the lab notes, optimistic) and <c>f1_at_val_threshold</c> (F1 at the threshold of best F1
    /// on the validation beats: what a deployed detector would reach).</summary>
    public static IReadOnlyList<string> Figures { get; } = ["auc", "ap", "f1_best", "f1_at_val_threshold"];

    /// <summary>One row per method (first-run order) with each of <paramref name="figures"/> as mean ± std over its runs.</summary>
    /// <exception cref="ArgumentException">A figure the evaluations do not have; the message lists those they have.</exception>
    public static IReadOnlyList<ResultRow> ByMethod(IEnumerable<BeatGanKdRun> runs, IReadOnlyList<string> figures)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(figures);
        var measured = runs.Select(r => (r.Method, Metrics: r.Evaluation.ToMetrics())).ToArray();
        foreach (string figure in figures)
            if (measured.FirstOrDefault(r => !r.Metrics.ContainsKey(figure)) is { Method: not null } lacking)
                throw new ArgumentException($"'{figure}' is not a figure of {lacking.Method}'s evaluation; choose from " +
                                            $"{string.Join(", ", lacking.Metrics.Keys)}.", nameof(figures));
        return measured.GroupBy(r => r.Method)
                       .Select(g => new ResultRow(g.Key, figures.ToDictionary(f => f, f => MeanStd.Of(g.Select(r => r.Metrics[f]).ToArray()))))
                       .ToArray();
    }
}
