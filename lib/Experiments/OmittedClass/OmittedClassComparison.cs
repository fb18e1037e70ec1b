using System.Globalization;
using Distill.Training;

namespace Distill.Experiments.OmittedClass;

/// <summary>One line of the comparison with the paper: a quantity, Hinton et al.'s value and ours (mean ± std over seeds).</summary>
/// <param name="Quantity">What is compared.</param>
/// <param name="Paper">The paper's value (one run), computed from its printed counts.</param>
/// <param name="Ours">Ours over seeds.</param>
public sealed record ComparisonRow(string Quantity, string Paper, string Ours);

/// <summary>The table of notebook 07: Hinton et al.'s omitted-3 figures (<see cref="HintonOmittedThree"/>) beside ours.</summary>
/// <remarks>Rates, not counts, are compared: the paper's MNIST test set has 10,000 images and 1010 threes, ours a few
/// hundred digits and a few dozen of the omitted class.</remarks>
public static class OmittedClassComparison
{
    /// <summary>The rows: teacher error, the distilled student's error and omitted-class accuracy before and after the bias
    /// correction, the shift, and the labels-only control.</summary>
    public static IReadOnlyList<ComparisonRow> Rows(OmittedClassScore teacher, IReadOnlyList<OmittedClassRun> runs)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        var distilled = Of(runs, TransferStudent.Distilled);
        var control = Of(runs, TransferStudent.LabelsOnly);
        string paperTeacher = Percent((double)HintonOmittedThree.TeacherErrors / HintonOmittedThree.TestCount);
        return
        [
            new("teacher: test error", paperTeacher, Percent(teacher.ErrorRate)),
            new("distilled: test error", Percent(HintonOmittedThree.Before.ErrorRate), Spread(distilled, r => r.Before.ErrorRate)),
            new("distilled: omitted class recognised", Percent(HintonOmittedThree.Before.OmittedAccuracy),
                Spread(distilled, r => r.Before.OmittedAccuracy)),
            new("bias increase", HintonOmittedThree.BiasIncrease.ToString(CultureInfo.InvariantCulture) + " (on test)",
                Spread(distilled, r => r.BiasShift, percent: false) + " (on validation)"),
            new("distilled + bias: test error", Percent(HintonOmittedThree.After.ErrorRate), Spread(distilled, r => r.After.ErrorRate)),
            new("distilled + bias: omitted class recognised", Percent(HintonOmittedThree.After.OmittedAccuracy),
                Spread(distilled, r => r.After.OmittedAccuracy)),
            new("labels only + bias: omitted class recognised", "not run", Spread(control, r => r.After.OmittedAccuracy)),
        ];
    }

    /// <summary>Each student's test accuracy and omitted-class accuracy over seeds, as trained and with the raised bias, for
    /// <c>ResultCharts.MethodBars</c> (metrics <c>"omitted class recognised"</c> and <c>"test accuracy"</c>).</summary>
    public static IReadOnlyList<ResultRow> Summary(IReadOnlyList<OmittedClassRun> runs)
    {
        var rows = new List<ResultRow>();
        foreach (var student in Enum.GetValues<TransferStudent>().Where(s => runs.Any(r => r.Student == s)))
        {
            var ofStudent = Of(runs, student);
            rows.Add(Row($"{student}", ofStudent.Select(r => r.Before).ToArray()));
            rows.Add(Row($"{student} + bias", ofStudent.Select(r => r.After).ToArray()));
        }
        return rows;
    }

    /// <summary>Name of the omitted-class accuracy in <see cref="Summary"/>.</summary>
    public const string RecognisedMetric = "omitted class recognised";

    /// <summary>Name of the overall test accuracy in <see cref="Summary"/>.</summary>
    public const string AccuracyMetric = "test accuracy";

    private static ResultRow Row(string label, OmittedClassScore[] scores) => new(label, new Dictionary<string, MeanStd>
    {
        [RecognisedMetric] = MeanStd.Of(scores.Select(s => s.OmittedAccuracy).ToArray()),
        [AccuracyMetric] = MeanStd.Of(scores.Select(s => 1 - s.ErrorRate).ToArray()),
    });

    private static OmittedClassRun[] Of(IReadOnlyList<OmittedClassRun> runs, TransferStudent student)
    {
        var chosen = runs.Where(r => r.Student == student).ToArray();
        return chosen.Length > 0 ? chosen
            : throw new ArgumentException($"No {student} run to summarise: pass the runs of OmittedClassExperiment.Run.", nameof(runs));
    }

    private static string Spread(IEnumerable<OmittedClassRun> runs, Func<OmittedClassRun, double> value, bool percent = true)
    {
        var summary = MeanStd.Of(runs.Select(value).ToArray());
        return percent
            ? string.Create(CultureInfo.InvariantCulture, $"{100 * summary.Mean:F2}% ± {100 * summary.StandardDeviation:F2}")
            : string.Create(CultureInfo.InvariantCulture, $"{summary.Mean:F2} ± {summary.StandardDeviation:F2}");
    }

    private static string Percent(double rate) => string.Create(CultureInfo.InvariantCulture, $"{100 * rate:F2}%");
}
