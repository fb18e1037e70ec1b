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
    /// ROC AUC, AP and F1 are about, is the malignant tumour a screening model must find. A file whose header names other
    /// than two classes, or whose labels hold one class only, is refused: flipping its labels would make up classes.
    /// </remarks>
    /// <exception cref="InvalidFileException">The file is not a two-class table in this layout.</exception>
    public static TabularTable BreastCancer(string? path = null)
    {
        string[] names =
        [
            .. Measurements.Select(m => $"mean {m}"),
            .. Measurements.Select(m => $"{m} error"),
            .. Measurements.Select(m => $"worst {m}"),
        ];
        string file = path ?? ProjectData.File("uci", "breast_cancer.csv");
        var table = TabularCsv.ReadWithSklearnHeader(file, "breast cancer", names);
        if (table.ClassNames.Count != 2)
            throw new InvalidFileException(file,
                $"{file} line 1: the header names {table.ClassNames.Count} classes ({string.Join(", ", table.ClassNames)}); the breast cancer " +
                "table has two (malignant, benign, labelled 0 and 1). Fix the header or use a two-class table.");
        if (table.ClassCounts() is var counts && counts.Contains(0))
            throw new InvalidFileException(file,
                $"{file}: every row is labelled {Array.FindIndex(counts, c => c > 0)} ({table.ClassNames[Array.FindIndex(counts, c => c > 0)]}); " +
                "a classifier needs rows of both classes.");
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
