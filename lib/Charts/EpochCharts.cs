using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace Distill.Charts;

/// <summary>Every epoch of a training run with the kept epoch marked: what selected it, and how far it lies from the others.</summary>
/// <remarks>A run that keeps its best validation epoch (Zhou et al., "BeatGAN", IJCAI 2019: the generator of highest
/// validation AUC) trains epochs it then throws away; drawing them all shows whether the selection figure follows the
/// figure that matters (for example the test AUC of each epoch's weights, measured for the curve only).</remarks>
public static class EpochCharts
{
    /// <summary>One line per named curve over the epochs, and a star on every curve at the kept epoch.</summary>
    /// <param name="epochs">The epochs, in order.</param>
    /// <param name="curves">Named values, one per epoch each.</param>
    /// <param name="keptEpoch">The epoch whose weights were kept; one of <paramref name="epochs"/>.</param>
    /// <param name="title">Chart title.</param>
    public static GenericChart WithKeptEpoch(IReadOnlyList<int> epochs, IReadOnlyList<(string Name, IReadOnlyList<double> Values)> curves,
                                             int keptEpoch, string title)
    {
        ArgumentNullException.ThrowIfNull(epochs);
        ArgumentNullException.ThrowIfNull(curves);
        if (epochs.Count == 0 || curves.Count == 0)
            throw new ArgumentException($"Give at least one epoch and one curve (got {epochs.Count} epochs, {curves.Count} curves).");
        foreach (var (name, values) in curves)
            if (values.Count != epochs.Count)
                throw new ArgumentException($"Curve '{name}' has {values.Count} values for {epochs.Count} epochs; give one per epoch.", nameof(curves));
        int kept = epochs.ToList().IndexOf(keptEpoch);
        if (kept < 0)
            throw new ArgumentOutOfRangeException(nameof(keptEpoch), keptEpoch,
                $"Epoch {keptEpoch} is not among the epochs ({epochs[0]}–{epochs[^1]}); pass the run's kept (best) epoch.");
        var traces = curves.Select(c => Chart.Line<int, double, string>(epochs, c.Values, Name: c.Name, ShowMarkers: true)).ToList();
        traces.Add(Chart.Point<int, double, string>(curves.Select(_ => keptEpoch), curves.Select(c => c.Values[kept]),
            Name: $"kept epoch {keptEpoch}", MarkerSymbol: StyleParam.MarkerSymbol.Star));
        return Chart.Combine(traces)
            .WithXAxisStyle<int, int, string>(TitleText: "epoch")
            .WithYAxisStyle<double, double, string>(TitleText: "value")
            .WithTitle(title).FullWidth().LegendBelow().WholeNumberXTicks(epochs[0], epochs.Count);
    }
}
