namespace Distill.Data.Tabular;

/// <summary>The two UCI tables embedded in <c>data/uci</c> (sources and licence in data/README.md).</summary>
public static class UciTables
{
    private static readonly string[] Measurements =
    [
        "radius", "texture", "perimeter", "area", "smoothness",
        "compactness", "concavity", "concave points", "symmetry", "fractal dimension",
    ];

    /// <summary>Breast Cancer Wisconsin (Diagnostic): 569 rows, 30 features, label 1 = malignant.</summary>
    /// <remarks>
    /// Wolberg, Street, Mangasarian (1995), UCI Machine Learning Repository. The 30 features are ten
    /// measurements times (mean, standard error, worst), in that order of blocks. The file follows
    /// scikit-learn (0 = malignant, 1 = benign); this loader flips it so the positive class, the one
    /// ROC AUC, AP and F1 are about, is the malignant tumour a screening model must find.
    /// </remarks>
    public static TabularTable BreastCancer(string? path = null)
    {
        string[] names =
        [
            .. Measurements.Select(m => $"mean {m}"),
            .. Measurements.Select(m => $"{m} error"),
            .. Measurements.Select(m => $"worst {m}"),
        ];
        var table = TabularCsv.ReadWithSklearnHeader(path ?? ProjectData.File("uci", "breast_cancer.csv"), "breast cancer", names);
        return table with { Labels = table.Labels.Select(l => 1 - l).ToArray(), ClassNames = ["benign", "malignant"] };
    }

    /// <summary>The column indices of the ten "mean" features of <see cref="BreastCancer"/>.</summary>
    public static int[] BreastCancerMeanColumns { get; } = Enumerable.Range(0, 10).ToArray();

    /// <summary>Optical Recognition of Handwritten Digits: 1797 rows of 8x8 pixel counts (0-16), classes 0-9.</summary>
    /// <remarks>Alpaydin, Kaynak (1998), UCI Machine Learning Repository.</remarks>
    public static TabularTable Digits(string? path = null)
    {
        string[] names = Enumerable.Range(0, 64).Select(i => $"pixel {i / 8},{i % 8}").ToArray();
        string[] classes = Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return TabularCsv.ReadPlain(path ?? ProjectData.File("uci", "digits.csv.gz"), "digits", names, classes);
    }
}
