using System.Collections;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Serialization;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Distill.Training.Checkpoints;

/// <summary>Saves and restores everything a <see cref="SupervisedTrainer"/> run needs to continue as if never interrupted.</summary>
/// <remarks>
/// A checkpoint is one zip file, replaced atomically (<see cref="AtomicFile"/>), holding
/// <c>trainer.json</c> (<see cref="TrainerState"/>: epoch, seed, schedule counters, learning rate, best epoch, history),
/// <c>model.pt</c> (the model's state_dict: the current, not the best, weights), <c>best.pt</c> (the best epoch's weights),
/// <c>parameters.pt</c> (every optimised parameter by position, which includes trainable parts of distillation losses),
/// <c>optimizer.pt</c> (Adam's moments and step counts) and <c>rng.pt</c> (torch's CPU generator). The <c>.pt</c> entries
/// are PyTorch pickles (TorchSharp.PyBridge), so Python can inspect them with <c>torch.load</c>. The batch order needs
/// no saved state: each epoch's order is derived from (seed, epoch). Buffers owned by a loss (for example a memory
/// bank) are not saved.
/// </remarks>
public static class TrainingCheckpoint
{
    /// <summary>Version written into <see cref="TrainerState.FormatVersion"/>; other versions are refused.</summary>
    public const int FormatVersion = 1;

    private const string StateEntry = "trainer.json";
    private const string ModelEntry = "model.pt";
    private const string BestEntry = "best.pt";
    private const string ParametersEntry = "parameters.pt";
    private const string OptimizerEntry = "optimizer.pt";
    private const string RngEntry = "rng.pt";

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals, // a metric can be NaN (AUC of one class)
    };

    /// <summary>Writes a checkpoint atomically: the file holds either the previous checkpoint or this one, never a mixture.</summary>
    public static void Save(string path, TrainerState state, ITrainingObjective objective, OptimizerHelper optimizer, ModelSnapshot best)
    {
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            WriteEntry(zip, StateEntry, entry => JsonSerializer.Serialize(entry, state, Json));
            WriteTensors(zip, ModelEntry, objective.Model.state_dict());
            if (best.Captured is { } captured) WriteTensors(zip, BestEntry, captured);
            WriteTensors(zip, ParametersEntry, Parameters(objective));
            WriteEntry(zip, OptimizerEntry, entry => optimizer.save_py(entry, leaveOpen: true));
            using var rng = get_rng_state();
            WriteTensors(zip, RngEntry, [KeyValuePair.Create("torch", rng)]);
        });
    }

    /// <summary>Reads a checkpoint and restores it into the model, the optimised parameters, the optimizer, the best-weights
    /// snapshot and torch's generator; returns the trainer's state. Nothing is changed when the file is refused.</summary>
    /// <exception cref="CorruptCheckpointException">The file is truncated or corrupt, from another format version or seed,
    /// or does not fit the model.</exception>
    public static TrainerState Load(string path, int seed, ITrainingObjective objective, OptimizerHelper optimizer, ModelSnapshot best)
    {
        TrainerState state;
        Dictionary<string, Tensor> model, parameters, rng;
        Dictionary<string, Tensor>? bestWeights;
        byte[] optimizerBytes;
        try
        {
            using var zip = ZipFile.OpenRead(path);
            state = JsonSerializer.Deserialize<TrainerState>(ReadEntry(zip, path, StateEntry), Json)
                    ?? throw new CorruptCheckpointException(path, $"{StateEntry} is empty.");
            model = ReadTensors(zip, path, ModelEntry);
            bestWeights = zip.GetEntry(BestEntry) is null ? null : ReadTensors(zip, path, BestEntry);
            parameters = ReadTensors(zip, path, ParametersEntry);
            rng = ReadTensors(zip, path, RngEntry);
            optimizerBytes = ReadEntry(zip, path, OptimizerEntry);
        }
        catch (Exception error) when (error is InvalidDataException or JsonException or EndOfStreamException or NotSupportedException
                                          or NotImplementedException or InvalidOperationException or InvalidCastException
                                          or Razorvine.Pickle.PickleException)
        {
            throw new CorruptCheckpointException(path, $"the file is truncated or corrupt ({error.GetType().Name}: {error.Message}).", error);
        }
        if (state.FormatVersion != FormatVersion)
            throw new CorruptCheckpointException(path, $"it has format version {state.FormatVersion}; this library reads version {FormatVersion}.");
        if (state.Seed != seed)
            throw new CorruptCheckpointException(path, $"it was written by a run with seed {state.Seed}, not {seed}; the batch order would differ.");
        if (state.History.Count != state.Epoch)
            throw new CorruptCheckpointException(path, $"it records epoch {state.Epoch} but holds {state.History.Count} epochs of history.");

        var modelState = objective.Model.state_dict();
        var trained = Parameters(objective).ToDictionary(kv => kv.Key, kv => kv.Value);
        var problems = Mismatches("model", model, modelState).Concat(Mismatches("parameters", parameters, trained))
                                                            .Concat(bestWeights is null ? [] : Mismatches("best weights", bestWeights, modelState)).ToList();
        if (problems.Count > 0)
            throw new CorruptCheckpointException(path, $"it does not fit this model: {string.Join("; ", problems)}.");

        using (no_grad())
        {
            foreach (var (key, target) in modelState) target.copy_(model[key]);
            foreach (var (key, target) in trained) target.copy_(parameters[key]);
        }
        using (var stream = new MemoryStream(optimizerBytes)) optimizer.load_py(stream, leaveOpen: true);
        set_rng_state(rng["torch"]);
        if (bestWeights is not null)
            best.Adopt(bestWeights.ToDictionary(kv => kv.Key, kv => kv.Value.to(modelState[kv.Key].device).DetachFromDisposeScope()));
        foreach (var tensor in model.Values.Concat(parameters.Values).Concat(rng.Values)) tensor.Dispose();
        return state;
    }

    private static IEnumerable<KeyValuePair<string, Tensor>> Parameters(ITrainingObjective objective)
        => objective.Parameters().Select((parameter, i) => KeyValuePair.Create(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (Tensor)parameter));

    private static IEnumerable<string> Mismatches(string part, Dictionary<string, Tensor> saved, IDictionary<string, Tensor> expected)
    {
        foreach (var key in expected.Keys.Where(k => !saved.ContainsKey(k))) yield return $"{part}: missing '{key}'";
        foreach (var key in saved.Keys.Where(k => !expected.ContainsKey(k))) yield return $"{part}: unexpected '{key}'";
        foreach (var (key, tensor) in saved.Where(kv => expected.ContainsKey(kv.Key)))
            if (!tensor.shape.SequenceEqual(expected[key].shape))
                yield return $"{part}: '{key}' is [{string.Join(", ", tensor.shape)}] in the file, [{string.Join(", ", expected[key].shape)}] in the model";
    }

    private static void WriteEntry(ZipArchive zip, string name, Action<Stream> write)
    {
        using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        write(entry);
    }

    private static void WriteTensors(ZipArchive zip, string name, IEnumerable<KeyValuePair<string, Tensor>> tensors)
    {
        using var scope = NewDisposeScope();
        var table = new Hashtable();
        foreach (var (key, tensor) in tensors) table[key] = tensor.detach().cpu().contiguous();
        // The pickler writes a zip of its own; it gets a seekable buffer rather than the entry stream.
        using var buffer = new MemoryStream();
        PyTorchPickler.PickleStateDict(buffer, table, leaveOpen: true);
        WriteEntry(zip, name, entry => entry.Write(buffer.GetBuffer(), 0, (int)buffer.Length));
    }

    private static byte[] ReadEntry(ZipArchive zip, string path, string name)
    {
        var entry = zip.GetEntry(name) ?? throw new CorruptCheckpointException(path, $"it has no '{name}' entry.");
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    private static Dictionary<string, Tensor> ReadTensors(ZipArchive zip, string path, string name)
    {
        using var buffer = new MemoryStream(ReadEntry(zip, path, name));
        var table = PyTorchUnpickler.UnpickleStateDict(buffer);
        return table.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (Tensor)e.Value!);
    }
}
