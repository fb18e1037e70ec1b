using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Distill.Distillation.BeatGan;
using Distill.Training.Checkpoints;

using Distill.Experiments.BeatGan;
namespace Distill.Cli;

/// <summary>One BeatGAN model as written to <c>beatgan-runs.csv</c> and <c>beatgan-runs.json</c>.</summary>
/// <param name="Data">"embedded" or "mitbih".</param>
/// <param name="Fold">Data fold.</param>
/// <param name="Method">"teacher", "student" or the distilled student's name.</param>
/// <param name="Terms">The distilled student's terms and weights ("rec-kd=1+crd=0.01"); empty for teacher and plain student.</param>
/// <param name="Seed">Seed of initialisation and batch order.</param>
/// <param name="Sizes">The generator's nz/ngf/ndf ("nz 50, ngf 32, ndf 32").</param>
/// <param name="Epochs">Epochs trained by this run (0 for a teacher loaded from files).</param>
/// <param name="BatchSize">Beats per step.</param>
/// <param name="LearningRate">Adam learning rate.</param>
/// <param name="TrainBeats">Normal beats trained on.</param>
/// <param name="Steps">Training steps taken (0 for a teacher loaded from files).</param>
/// <param name="TeacherSeed">Seed of the teacher a student was distilled from.</param>
/// <param name="Validation">How the teacher's validation beats were scored ("authors" or "eval").</param>
/// <param name="Metrics">Test figures (<see cref="BeatGanKdEvaluation.ToMetrics"/>): auc, ap, f1_best (threshold chosen on the test
/// labels), f1_at_val_threshold, val_threshold, specificity_N and recall_S/V/F/Q at the validation threshold.</param>
/// <param name="WallSeconds">Training wall time in this invocation.</param>
/// <param name="Commit">Git commit of the code that ran.</param>
/// <param name="Machine">CPU, cores, torch threads and OS.</param>
public sealed record BeatGanRunRecord(string Data, int Fold, string Method, string Terms, int Seed, string Sizes, int Epochs, int BatchSize,
                                      double LearningRate, long TrainBeats, long Steps, int TeacherSeed, string Validation,
                                      IReadOnlyDictionary<string, double> Metrics, double WallSeconds, string Commit, string Machine);

/// <summary>One teacher epoch as written to <c>beatgan-history.csv</c>: the learning curve.</summary>
/// <param name="Data">"embedded" or "mitbih".</param>
/// <param name="Fold">Data fold.</param>
/// <param name="Seed">The teacher's seed.</param>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Steps">Steps taken by the end of this epoch.</param>
/// <param name="Summary">Losses, validation AUC, whether it became the kept epoch, and the test metrics of its weights.</param>
public sealed record BeatGanHistoryRecord(string Data, int Fold, int Seed, int Epoch, long Steps, Distill.Training.BeatGan.BeatGanEpochSummary Summary);

/// <summary>Collects the runs of one <c>reproduce beatgan</c> invocation and writes them as CSV and JSON.</summary>
/// <param name="data">The --data value recorded in every row.</param>
/// <param name="scores">Also write <c>beatgan-scores.csv</c>: every model's raw reconstruction error of every test beat.</param>
public sealed class BeatGanRunLog(string data, bool scores = false)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly List<BeatGanRunRecord> records = [];
    private readonly List<BeatGanHistoryRecord> history = [];
    private readonly List<string> scoreRows = [];

    /// <summary>The runs collected so far.</summary>
    public IReadOnlyList<BeatGanRunRecord> Records => records;

    /// <summary>Adds the runs of one fold trained with <paramref name="config"/> on <paramref name="beats"/>.</summary>
    /// <param name="config">The fold's configuration.</param>
    /// <param name="beats">The fold's beats.</param>
    /// <param name="runs">The fold's models.</param>
    /// <param name="teacherTrainedHere">False when the teacher was loaded from files: its row then records 0 epochs (it was
    /// not trained by this run), not the configuration's teacher epochs.</param>
    public void Add(BeatGanKdConfig config, BeatGanKdData beats, IEnumerable<BeatGanKdRun> runs, bool teacherTrainedHere = true)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(beats);
        var recipes = config.Students.ToDictionary(s => s.Name, s => s.ToString());
        long batches = beats.Train.shape[0] / config.BatchSize;
        string validation = config.Validation == Distill.Training.BeatGan.BeatGanValidation.EvaluationMode ? "eval" : "authors";
        foreach (var run in runs)
        {
            bool teacher = run.Method == "teacher";
            var sizes = teacher ? config.Teacher : config.Student;
            records.Add(new BeatGanRunRecord(data, run.Fold, run.Method, recipes.GetValueOrDefault(run.Method, ""), run.Seed,
                $"nz {sizes.LatentSize}, ngf {sizes.GeneratorWidth}, ndf {sizes.DiscriminatorWidth}",
                teacher ? (teacherTrainedHere ? config.TeacherEpochs : 0) : config.StudentEpochs, config.BatchSize, config.LearningRate,
                beats.Train.shape[0], run.Steps, run.TeacherSeed, validation, run.Evaluation.ToMetrics(), run.Seconds, RunEnvironment.Commit,
                RunEnvironment.Machine));
            history.AddRange(run.History.Select(e => new BeatGanHistoryRecord(data, run.Fold, run.Seed, e.Epoch, e.Epoch * batches, e)));
            if (scores)
                scoreRows.AddRange(run.Evaluation.TestErrors.Select((error, i) => string.Join(",", data, Text(run.Fold), Text(run.Seed), run.Method,
                    Text(i), beats.TestClasses?[i].ToString() ?? "", Text(beats.TestLabels[i]), Text(error))));
        }
    }

    /// <summary>Writes <c>beatgan-runs.csv</c>, <c>beatgan-runs.json</c>, <c>beatgan-history.csv</c> (every teacher epoch) and,
    /// when asked, <c>beatgan-scores.csv</c> into <paramref name="folder"/> atomically; returns the first three paths.</summary>
    public (string Csv, string Json, string History) Write(string folder)
    {
        string csv = Path.Combine(folder, "beatgan-runs.csv"), json = Path.Combine(folder, "beatgan-runs.json");
        string historyCsv = Path.Combine(folder, "beatgan-history.csv");
        var metrics = BeatGanKdEvaluation.MetricNames;
        AtomicFile.Write(json, stream => JsonSerializer.Serialize(stream, records, Json));
        WriteCsv(csv, "data,fold,method,terms,seed,teacher_seed,sizes,epochs,steps,batch_size,learning_rate,train_beats,validation," +
                      string.Join(",", metrics) + ",commit,machine,wall_seconds",
            records.Select(r => string.Join(",", [r.Data, Text(r.Fold), r.Method, r.Terms, Text(r.Seed), Text(r.TeacherSeed), $"\"{r.Sizes}\"",
                Text(r.Epochs), Text(r.Steps), Text(r.BatchSize), Text(r.LearningRate), Text(r.TrainBeats), r.Validation,
                .. metrics.Select(m => Metric(r.Metrics, m)), r.Commit, $"\"{r.Machine}\"", Text(r.WallSeconds)])));
        WriteCsv(historyCsv, "data,fold,seed,epoch,steps,d_loss,reconstruction_loss,adversarial_loss,val_auc,is_best,reinitialisations,seconds," +
                             string.Join(",", metrics.Select(m => $"test_{m}")),
            history.Select(h => string.Join(",", [h.Data, Text(h.Fold), Text(h.Seed), Text(h.Epoch), Text(h.Steps),
                Text(h.Summary.DiscriminatorLoss), Text(h.Summary.ReconstructionLoss), Text(h.Summary.AdversarialLoss),
                Text(h.Summary.ValidationScore), h.Summary.IsBest ? "true" : "false", Text(h.Summary.Reinitialisations),
                Text(h.Summary.Duration.TotalSeconds), .. metrics.Select(m => Metric(h.Summary.Metrics, m))])));
        if (scores)
            WriteCsv(Path.Combine(folder, "beatgan-scores.csv"), "data,fold,seed,method,beat,class,label,error", scoreRows);
        return (csv, json, historyCsv);
    }

    private static void WriteCsv(string path, string header, IEnumerable<string> rows) => AtomicFile.Write(path, stream =>
    {
        using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
        writer.Write(header + "\n");
        foreach (var row in rows) writer.Write(row + "\n");
    });

    // Empty where a figure does not exist (per-class recall of data without classes).
    private static string Metric(IReadOnlyDictionary<string, double>? metrics, string name)
        => metrics is not null && metrics.TryGetValue(name, out double value) ? Text(value) : "";

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
