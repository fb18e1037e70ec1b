using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Distill.Distillation.BeatGan;
using Distill.Training.Checkpoints;

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
/// <param name="Auc">Test ROC AUC.</param>
/// <param name="Ap">Test average precision.</param>
/// <param name="F1">Test best F1.</param>
/// <param name="WallSeconds">Training wall time.</param>
public sealed record BeatGanRunRecord(string Data, int Fold, string Method, string Terms, int Seed, string Sizes, int Epochs, int BatchSize,
                                      double LearningRate, long TrainBeats, double Auc, double Ap, double F1, double WallSeconds);

/// <summary>Collects the runs of one <c>reproduce beatgan</c> invocation and writes them as CSV and JSON.</summary>
/// <param name="data">The --data value recorded in every row.</param>
public sealed class BeatGanRunLog(string data)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    private readonly List<BeatGanRunRecord> records = [];

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
        foreach (var run in runs)
        {
            bool teacher = run.Method == "teacher";
            var sizes = teacher ? config.Teacher : config.Student;
            records.Add(new BeatGanRunRecord(data, run.Fold, run.Method, recipes.GetValueOrDefault(run.Method, ""), run.Seed,
                $"nz {sizes.LatentSize}, ngf {sizes.GeneratorWidth}, ndf {sizes.DiscriminatorWidth}",
                teacher ? (teacherTrainedHere ? config.TeacherEpochs : 0) : config.StudentEpochs, config.BatchSize, config.LearningRate, beats.Train.shape[0],
                run.Test.RocAuc, run.Test.AveragePrecision, run.Test.BestF1, run.Seconds));
        }
    }

    /// <summary>Writes <c>beatgan-runs.csv</c> and <c>beatgan-runs.json</c> into <paramref name="folder"/> atomically; returns their paths.</summary>
    public (string Csv, string Json) Write(string folder)
    {
        string csv = Path.Combine(folder, "beatgan-runs.csv"), json = Path.Combine(folder, "beatgan-runs.json");
        AtomicFile.Write(json, stream => JsonSerializer.Serialize(stream, records, Json));
        AtomicFile.Write(csv, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            writer.Write("data,fold,method,terms,seed,sizes,epochs,batch_size,learning_rate,train_beats,auc,ap,f1,wall_seconds\n");
            foreach (var r in records)
                writer.Write(string.Join(",", r.Data, Text(r.Fold), r.Method, r.Terms, Text(r.Seed), $"\"{r.Sizes}\"", Text(r.Epochs), Text(r.BatchSize),
                    Text(r.LearningRate), Text(r.TrainBeats), Text(r.Auc), Text(r.Ap), Text(r.F1), Text(r.WallSeconds)) + "\n");
        });
        return (csv, json);
    }

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
