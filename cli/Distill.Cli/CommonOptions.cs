using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Distill.Data;
using Distill.Data.Tabular;
using Distill.Runtime;
using Distill.Training;

namespace Distill.Cli;

/// <summary>Options shared by the tabular training commands (<c>train-teacher</c>, <c>distill</c>): data, training settings
/// and where results go. <c>reproduce beatgan</c> uses the same names for the same meanings (<c>--data</c> names the data
/// set, <c>--out</c> and <c>--checkpoint</c> are folders).</summary>
public sealed class CommonOptions
{
    /// <summary>The tabular data set the commands train on.</summary>
    public const string BreastCancer = "breast-cancer";

    /// <summary>The default of every command's <c>--out</c>.</summary>
    public const string DefaultOutputFolder = "distill-runs";

    /// <summary>The data set: the embedded breast cancer table, or a CSV of the same layout given with <see cref="Csv"/>.</summary>
    public Option<string> Data { get; } = CliOptions.DataSet(
        $"Data set: '{BreastCancer}' (Breast Cancer Wisconsin, the embedded copy in data/uci, or the file given with --csv).", [BreastCancer],
        value => $"'--data PATH' was renamed to '--csv PATH': pass a CSV as --csv {value}.");

    /// <summary>A breast cancer CSV in scikit-learn's layout, replacing the embedded copy.</summary>
    public Option<FileInfo?> Csv { get; } = new("--csv")
    {
        Description = "Breast Cancer Wisconsin CSV in scikit-learn's layout (header: rows, features, class names; then 30 features and " +
                      "the label per row) used instead of the embedded copy.",
    };

    /// <summary>Seed of the stratified split.</summary>
    public Option<int> DataSeed { get; } = CliOptions.Integer("--data-seed", "Seed of the stratified train/validation/test split (60/20/20).", 0, 0);

    /// <summary>Maximum epochs.</summary>
    public Option<int> Epochs { get; } = CliOptions.Integer("--epochs", "Maximum epochs per run.", 100, 1, CliOptions.MaxCount);

    /// <summary>Batch size.</summary>
    public Option<int> BatchSize { get; } = CliOptions.Integer("--batch-size", "Rows per mini-batch (at least 2: BatchNorm).", 64, 2, CliOptions.MaxCount);

    /// <summary>Initial learning rate.</summary>
    public Option<double> LearningRate { get; } =
        CliOptions.Positive("--lr", "Adam's initial learning rate (halved on a validation plateau, as in the seed).", 1e-3);

    /// <summary>Early-stopping patience.</summary>
    public Option<int> Patience { get; } =
        CliOptions.Integer("--patience", "Stop a run after this many epochs without a better validation metric.", 20, 1, CliOptions.MaxCount);

    /// <summary>Output folder.</summary>
    public Option<DirectoryInfo> Output { get; } = new("--out")
    {
        Description = "Folder for runs.csv and runs.json (every run's settings, seed, test metrics and wall time); created if needed and " +
                      "checked to be writable before any training.",
        DefaultValueFactory = _ => new DirectoryInfo(DefaultOutputFolder),
    };

    /// <summary>Suppresses per-epoch lines.</summary>
    public Option<bool> Quiet { get; } = new("--quiet") { Description = "Print only the results table, not one line per epoch or run." };

    /// <summary>Adds every option to <paramref name="command"/>, with the renamed spellings of earlier releases.</summary>
    public void AddTo(Command command)
    {
        foreach (var option in new Option[] { Data, Csv, DataSeed, Epochs, BatchSize, LearningRate, Patience, Output, Quiet })
            command.Options.Add(option);
    }

    /// <summary>The training settings the options describe.</summary>
    public TrainingOptions Training(ParseResult parse)
        => new(Epochs: parse.GetValue(Epochs), BatchSize: parse.GetValue(BatchSize), LearningRate: parse.GetValue(LearningRate),
               EarlyStoppingPatience: parse.GetValue(Patience));

    /// <summary>The data and training settings in words, for a checkpoint's settings: a checkpoint written with other data,
    /// split or training options is then refused rather than continued.</summary>
    public string Settings(ParseResult parse)
    {
        var options = Training(parse);
        string data = parse.GetValue(Csv) is { } file ? $"file sha256 {Fingerprint(file)}" : "embedded breast cancer";
        return string.Create(CultureInfo.InvariantCulture,
            $"data {data}, split seed {parse.GetValue(DataSeed)}; epochs {options.Epochs}, batch {options.BatchSize}, lr {options.LearningRate:R}, " +
            $"patience {options.EarlyStoppingPatience}");
    }

    /// <summary>The first 16 hex digits of a file's SHA-256: identifies its content wherever it is moved.</summary>
    public static string Fingerprint(FileInfo file)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var stream = file.OpenRead();
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
    }

    /// <summary>Loads and splits the data (teacher: all 30 features; student: the 10 means) onto the default device (<see cref="DistillDevice.Current"/>).</summary>
    /// <exception cref="InvalidFileException">The CSV is not a usable breast cancer table (too few rows of a class to split included).</exception>
    public TeacherStudentData LoadData(ParseResult parse)
    {
        var file = parse.GetValue(Csv);
        if (file is null) return TeacherStudentData.BreastCancer(parse.GetValue(DataSeed), device: DistillDevice.Current);
        if (!file.Exists) throw new FileNotFoundException($"The data file '{file.FullName}' does not exist.", file.FullName);
        var table = UciTables.BreastCancer(file.FullName);
        try
        {
            return TeacherStudentData.Create(table, FeatureView.All(table), new FeatureView("10 means", UciTables.BreastCancerMeanColumns),
                                             new SplitFractions(), parse.GetValue(DataSeed), DistillDevice.Current);
        }
        catch (ArgumentException error)
        {
            throw new InvalidFileException(file.FullName, $"{file.FullName}: {error.Message}", error);
        }
    }

    /// <summary>A hidden-widths option: one to 16 whole numbers in 1..<see cref="CliOptions.MaxWidth"/>.</summary>
    public static Option<int[]> Widths(string name, string description, int[] defaultValue)
        => CliOptions.Integers(name, description, defaultValue, 1, CliOptions.MaxWidth, maxCount: 16);
}
