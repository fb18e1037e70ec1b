namespace Distill.Notebooks;

/// <summary>What <see cref="NotebookEnvironment.Setup"/> did, shown as the first cell's output.</summary>
/// <remarks>In a notebook its HTML form also carries plotly.js (<see cref="PlotlyHtml.Loader"/>), so that every chart of
/// the notebook draws offline from that one copy; its plain-text form is <see cref="Text"/> alone.</remarks>
/// <param name="Text">One line: device, profile, seed, and the GLIBCXX fix if one was needed.</param>
public sealed record SetupSummary(string Text)
{
    /// <inheritdoc />
    public override string ToString() => Text;
}
