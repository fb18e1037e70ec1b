using Distill.Training;
using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Distill.Charts;

/// <summary>Charts of a training history: loss curves, validation metrics, distillation terms.</summary>
public static class TrainingCharts
{
    /// <summary>Training loss and validation loss per epoch, with the kept (best) epoch marked.</summary>
    public static GenericChart Loss(IReadOnlyList<EpochRecord> history, string title = "Loss")
    {
        var epochs = history.Select(r => r.Epoch).ToArray();
        var best = history.Where(r => r.IsBest).ToArray();
        return Chart.Combine(
            [
                Chart.Line<int, double, string>(epochs, history.Select(r => r.TrainLoss), Name: "train"),
                Chart.Line<int, double, string>(epochs, history.Select(r => r.Validation.Loss), Name: "validation"),
                Chart.Point<int, double, string>(best.Select(r => r.Epoch), best.Select(r => r.Validation.Loss), Name: "new best"),
            ])
            .WithXAxisStyle<int, int, string>(TitleText: "epoch")
            .WithYAxisStyle<double, double, string>(TitleText: "loss")
            .WithTitle(title).FullWidth().LegendBelow().WholeNumberXTicks(epochs[0], epochs.Length);
    }

    /// <summary>Validation metrics per epoch (all, or those named), e.g. F1, ROC AUC and AP.</summary>
    public static GenericChart ValidationMetrics(IReadOnlyList<EpochRecord> history, IEnumerable<string>? names = null, string title = "Validation metrics")
    {
        var epochs = history.Select(r => r.Epoch).ToArray();
        var chosen = (names ?? history[0].Validation.Metrics.Keys.Where(k => !k.EndsWith("threshold", StringComparison.Ordinal))).ToArray();
        return Chart.Combine(chosen.Select(name =>
                Chart.Line<int, double, string>(epochs, history.Select(r => r.Validation.Metrics[name]), Name: name)))
            .WithXAxisStyle<int, int, string>(TitleText: "epoch")
            .WithYAxisStyle<double, double, string>(TitleText: "value")
            .WithTitle(title).FullWidth().LegendBelow().WholeNumberXTicks(epochs[0], epochs.Length);
    }

    /// <summary>Each named training term per epoch (task and distillation terms, unweighted), on a log axis.</summary>
    public static GenericChart Terms(IReadOnlyList<EpochRecord> history, string title = "Loss terms")
    {
        var epochs = history.Select(r => r.Epoch).ToArray();
        return Chart.Combine(history[0].TrainTerms.Keys.Select(name =>
                Chart.Line<int, double, string>(epochs, history.Select(r => r.TrainTerms[name]), Name: name)))
            .WithXAxisStyle<int, int, string>(TitleText: "epoch")
            .WithYAxisStyle<double, double, string>(TitleText: "mean term value")
            .WithTitle(title).FullWidth().LegendBelow().WholeNumberXTicks(epochs[0], epochs.Length);
    }
}
