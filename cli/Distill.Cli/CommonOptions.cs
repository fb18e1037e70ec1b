using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using Distill.Data.Tabular;
using Distill.Training;
using Distill.Training.Checkpoints;

namespace Distill.Cli;

/// <summary>Options shared by the training commands: data, training settings and where results go.</summary>
public sealed class CommonOptions
{
    /// <summary>Breast cancer CSV in scikit-learn's layout; the embedded copy when absent.</summary>
    public Option<FileInfo?> Data { get; } = new("--data")
    {
        Description = "Breast Cancer Wisconsin CSV in scikit-learn's layout (header: rows, features, class names; then 30 features and the label per row). Default: the embedded copy (data/uci, see data/README.md).",
    };

    /// <summary>Seed of the stratified split.</summary>
    public Option<int> DataSeed { get; } = new("--data-seed") { Description = "Seed of the stratified train/validation/test split (60/20/20).", DefaultValueFactory = _ => 0 };

    /// <summary>Maximum epochs.</summary>
    public Option<int> Epochs { get; } = Positive(new Option<int>("--epochs") { Description = "Maximum epochs per run.", DefaultValueFactory = _ => 100 });

    /// <summary>Batch size.</summary>
    public Option<int> BatchSize { get; } = AtLeast(new Option<int>("--batch-size") { Description = "Rows per mini-batch (at least 2: BatchNorm).", DefaultValueFactory = _ => 64 }, 2);

    /// <summary>Initial learning rate.</summary>
    public Option<double> LearningRate { get; } = new("--lr") { Description = "Adam's initial learning rate (halved on a validation plateau, as in the seed).", DefaultValueFactory = _ => 1e-3 };

    /// <summary>Early-stopping patience.</summary>
    public Option<int> Patience { get; } = Positive(new Option<int>("--patience") { Description = "Stop a run after this many epochs without a better validation metric.", DefaultValueFactory = _ => 20 });

    /// <summary>Output folder.</summary>
    public Option<DirectoryInfo> Output { get; } = new("--out")
    {
        Description = "Folder for runs.csv and runs.json (every run's settings, seed, test metrics and wall time); created if needed.",
        DefaultValueFactory = _ => new DirectoryInfo("distill-results"),
    };

    /// <summary>Suppresses per-epoch lines.</summary>
    public Option<bool> Quiet { get; } = new("--quiet") { Description = "Print only the results table, not one line per epoch or run." };

    /// <summary>Adds every option to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        LearningRate.Validators.Add(r =>
        {
            double lr = r.GetValueOrDefault<double>();
            if (!(lr > 0) || !double.IsFinite(lr)) r.AddError($"--lr must be a positive number, got {lr}.");
        });
        foreach (var option in new Option[] { Data, DataSeed, Epochs, BatchSize, LearningRate, Patience, Output, Quiet })
            command.Options.Add(option);
    }

    /// <summary>The training settings the options describe.</summary>
    public TrainingOptions Training(ParseResult parse)
        => new(Epochs: parse.GetValue(Epochs), BatchSize: parse.GetValue(BatchSize), LearningRate: parse.GetValue(LearningRate),
               EarlyStoppingPatience: parse.GetValue(Patience));

    /// <summary>The data and training settings in words, for a checkpoint's <see cref="CheckpointOptions.Settings"/>: a
    /// checkpoint written with other data, split or training options is then refused rather than continued.</summary>
    public string Settings(ParseResult parse)
    {
        var options = Training(parse);
        string data = parse.GetValue(Data) is { } file ? $"file sha256 {Fingerprint(file)}" : "embedded breast cancer";
        return string.Create(CultureInfo.InvariantCulture,
            $"data {data}, split seed {parse.GetValue(DataSeed)}; epochs {options.Epochs}, batch {options.BatchSize}, lr {options.LearningRate:R}, " +
            $"patience {options.EarlyStoppingPatience}");
    }

    /// <summary>The first 16 hex digits of a file's SHA-256: identifies its content wherever it is moved.</summary>
    public static string Fingerprint(FileInfo file)
    {
        using var stream = file.OpenRead();
        return Convert.ToHexStringLower(SHA256.HashData(stream))[..16];
    }

    /// <summary>Loads and splits the data (teacher: all 30 features; student: the 10 means).</summary>
    public TeacherStudentData LoadData(ParseResult parse)
    {
        var file = parse.GetValue(Data);
        if (file is null) return TeacherStudentData.BreastCancer(parse.GetValue(DataSeed));
        if (!file.Exists) throw new FileNotFoundException($"The data file '{file.FullName}' does not exist.", file.FullName);
        var table = UciTables.BreastCancer(file.FullName);
        return TeacherStudentData.Create(table, FeatureView.All(table), new FeatureView("10 means", UciTables.BreastCancerMeanColumns),
                                         new SplitFractions(), parse.GetValue(DataSeed));
    }

    /// <summary>Adds a validator requiring every width to be positive.</summary>
    public static Option<int[]> PositiveWidths(Option<int[]> option)
    {
        option.AllowMultipleArgumentsPerToken = true;
        option.Validators.Add(r =>
        {
            var widths = r.GetValueOrDefault<int[]>() ?? [];
            if (widths.Length == 0 || widths.Any(w => w < 1))
                r.AddError($"{option.Name} needs one or more positive hidden widths, got [{string.Join(", ", widths)}].");
        });
        return option;
    }

    private static Option<int> Positive(Option<int> option) => AtLeast(option, 1);

    private static Option<int> AtLeast(Option<int> option, int minimum)
    {
        option.Validators.Add(r =>
        {
            int value = r.GetValueOrDefault<int>();
            if (value < minimum) r.AddError($"{option.Name} must be at least {minimum}, got {value}.");
        });
        return option;
    }
}
