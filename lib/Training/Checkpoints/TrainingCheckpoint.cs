using System.IO.Compression;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using static Distill.Training.Checkpoints.CheckpointZip;

namespace Distill.Training.Checkpoints;

/// <summary>Saves and restores everything a <see cref="SupervisedTrainer"/> run needs to continue as if never interrupted.</summary>
/// <remarks>
/// A checkpoint is one zip file, replaced atomically (<see cref="AtomicFile"/>), holding
/// <c>trainer.json</c> (<see cref="TrainerState"/>: epoch, seed, settings, schedule counters, learning rate, best epoch, history),
/// <c>model.pt</c> (the model's state_dict: the current, not the best, weights), <c>best.pt</c> (the best epoch's weights),
/// <c>parameters.pt</c> (every optimised parameter by position, which includes trainable parts of distillation losses),
/// <c>losses/NAME.pt</c> (the whole state_dict, parameters and buffers, of each of the objective's
/// <see cref="ITrainingObjective.LossModules"/>: CRD's memory banks and Z, a regressor's BatchNorm statistics),
/// <c>optimizer.pt</c> (Adam's moments and step counts) and <c>rng.pt</c> (torch's CPU generator under <c>torch</c>, and
/// each of the objective's own <see cref="ITrainingObjective.Generators"/> under its name). The <c>.pt</c> entries are
/// PyTorch pickles (TorchSharp.PyBridge), so Python can inspect them with <c>torch.load</c>. The batch order needs no
/// saved state: each epoch's order is derived from (seed, epoch).
/// <para>
/// Format version 2 added the loss entries, the named generators and the settings; version 1 files are refused, since
/// resuming one would restart CRD's memory from random rows. Torch's CUDA generator cannot be read through TorchSharp, so a
/// run that draws random numbers on a GPU from the global generator (CRD's sampler without its own generator) continues
/// with other draws after a resume; on the CPU the resumed run is bit-identical.
/// </para>
/// </remarks>
public static class TrainingCheckpoint
{
    /// <summary>Version written into <see cref="TrainerState.FormatVersion"/>; other versions are refused.</summary>
    public const int FormatVersion = 2;

    private const string StateEntry = "trainer.json";
    private const string ModelEntry = "model.pt";
    private const string BestEntry = "best.pt";
    private const string ParametersEntry = "parameters.pt";
    private const string OptimizerEntry = "optimizer.pt";
    private const string RngEntry = "rng.pt";
    private const string LossFolder = "losses/";
    private const string TorchGenerator = "torch";

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
            foreach (var (name, module) in objective.LossModules) WriteTensors(zip, LossEntry(name), module.state_dict());
            WriteEntry(zip, OptimizerEntry, entry => optimizer.save_py(entry, leaveOpen: true));
            using var scope = NewDisposeScope();
            WriteTensors(zip, RngEntry, GeneratorStates(objective));
        });
    }

    /// <summary>Reads only the trainer's state of a checkpoint (epoch, best epoch, history), to say what a resume will do.</summary>
    /// <exception cref="CorruptCheckpointException">The file is truncated or corrupt, or from another format version.</exception>
    public static TrainerState ReadState(string path)
    {
        var entries = ReadVerified(path);
        try
        {
            return ReadState(entries, path);
        }
        catch (Exception error) when (IsUnreadable(error))
        {
            throw Unreadable(path, error);
        }
    }

    /// <summary>Reads a checkpoint and restores it into the model, the optimised parameters, the loss modules, the optimizer,
    /// the best-weights snapshot and the generators; returns the trainer's state. Nothing is changed when the file is refused:
    /// every entry's CRC-32, every tensor's name, shape, dtype and finiteness, the generator states and (by a dry run on
    /// copies) the optimizer state are checked before the first value is copied.</summary>
    /// <exception cref="CorruptCheckpointException">The file is truncated or corrupt, from another format version, seed or
    /// settings, or does not fit the model or the losses.</exception>
    public static TrainerState Load(string path, int seed, string settings, ITrainingObjective objective, OptimizerHelper optimizer, ModelSnapshot best)
    {
        TrainerState state;
        Dictionary<string, Tensor> model, parameters, rng;
        Dictionary<string, Tensor>? bestWeights;
        Dictionary<string, Dictionary<string, Tensor>> losses;
        byte[] optimizerBytes;
        var entries = ReadVerified(path);
        try
        {
            state = ReadState(entries, path);
            model = ReadTensors(entries, path, ModelEntry);
            bestWeights = entries.ContainsKey(BestEntry) ? ReadTensors(entries, path, BestEntry) : null;
            parameters = ReadTensors(entries, path, ParametersEntry);
            losses = entries.Keys.Where(e => e.StartsWith(LossFolder, StringComparison.Ordinal) && e.EndsWith(".pt", StringComparison.Ordinal))
                            .ToDictionary(e => e[LossFolder.Length..^".pt".Length], e => ReadTensors(entries, path, e));
            rng = ReadTensors(entries, path, RngEntry);
            optimizerBytes = ReadEntry(entries, path, OptimizerEntry);
        }
        catch (Exception error) when (IsUnreadable(error))
        {
            throw Unreadable(path, error);
        }
        if (state.Seed != seed)
            throw new CorruptCheckpointException(path, $"it was written by a run with seed {state.Seed}, not {seed}; the batch order would differ.");
        if (state.Settings != settings)
            throw new CorruptCheckpointException(path,
                $"it was written by a run with other settings ({Quote(state.Settings)}), not those of this run ({Quote(settings)}); " +
                "continuing it would mix the two. Use another checkpoint path for these settings.");

        var modelState = objective.Model.state_dict();
        var trained = Parameters(objective).ToDictionary(kv => kv.Key, kv => kv.Value);
        var lossStates = objective.LossModules.ToDictionary(kv => kv.Key, kv => kv.Value.state_dict());
        var generators = objective.Generators;
        var problems = Mismatches("model", model, modelState).Concat(Mismatches("parameters", parameters, trained))
                                                            .Concat(bestWeights is null ? [] : Mismatches("best weights", bestWeights, modelState))
                                                            .Concat(LossMismatches(losses, lossStates))
                                                            .Concat(GeneratorMismatches(rng, generators)).ToList();
        if (problems.Count > 0)
            throw new CorruptCheckpointException(path, $"it does not fit this model and its losses: {string.Join("; ", problems)}.");
        DryRunOptimizer(path, OptimizerEntry, optimizerBytes, optimizer);

        using (no_grad())
        {
            foreach (var (key, target) in modelState) target.copy_(model[key]);
            foreach (var (key, target) in trained) target.copy_(parameters[key]);
            foreach (var (name, loss) in lossStates)
                foreach (var (key, target) in loss) target.copy_(losses[name][key]);
        }
        using (var stream = new MemoryStream(optimizerBytes)) optimizer.load_py(stream, leaveOpen: true);
        set_rng_state(rng[TorchGenerator]);
        foreach (var (name, generator) in generators) generator.set_state(rng[name]);
        if (bestWeights is not null)
            best.Adopt(bestWeights.ToDictionary(kv => kv.Key, kv => kv.Value.to(modelState[kv.Key].device).DetachFromDisposeScope()));
        foreach (var tensor in model.Values.Concat(parameters.Values).Concat(rng.Values).Concat(losses.Values.SelectMany(l => l.Values)))
            tensor.Dispose();
        return state;
    }

    private static string LossEntry(string name) => $"{LossFolder}{name}.pt";

    private static string Quote(string settings) => settings.Length == 0 ? "none given" : $"'{settings}'";

    private static TrainerState ReadState(IReadOnlyDictionary<string, byte[]> entries, string path)
    {
        var state = JsonSerializer.Deserialize<TrainerState>(ReadEntry(entries, path, StateEntry), Json)
                    ?? throw new CorruptCheckpointException(path, $"{StateEntry} is empty.");
        if (state.FormatVersion != FormatVersion)
            throw new CorruptCheckpointException(path, $"it has format version {state.FormatVersion}; this library reads version {FormatVersion}" +
                                                       (state.FormatVersion == 1 ? " (version 1 holds no loss state such as CRD's memory banks)." : "."));
        // The JSON is read without a schema: every field a resume relies on is checked here, not met as a null later.
        if (state.History is null || state.History.Any(r => r is null || r.Validation is null || r.TrainTerms is null))
            throw new CorruptCheckpointException(path, $"its {StateEntry} lacks the epochs' history.");
        if (state.History.Count != state.Epoch)
            throw new CorruptCheckpointException(path, $"it records epoch {state.Epoch} but holds {state.History.Count} epochs of history.");
        if (state.BestEpoch < 0 || state.BestEpoch > state.Epoch || !(state.LearningRate > 0) || !double.IsFinite(state.LearningRate)
            || state.PlateauBadEpochs < 0)
            throw new CorruptCheckpointException(path,
                $"its {StateEntry} is inconsistent (best epoch {state.BestEpoch} of {state.Epoch}, learning rate {state.LearningRate}, " +
                $"plateau count {state.PlateauBadEpochs}).");
        return state with { Settings = state.Settings ?? "" };
    }

    // The torch generator first, then the objective's own generators by name.
    private static IEnumerable<KeyValuePair<string, Tensor>> GeneratorStates(ITrainingObjective objective)
        => objective.Generators.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.get_state()))
                    .Prepend(KeyValuePair.Create(TorchGenerator, get_rng_state()));

    private static IEnumerable<string> LossMismatches(Dictionary<string, Dictionary<string, Tensor>> saved,
                                                      Dictionary<string, Dictionary<string, Tensor>> expected)
    {
        const string fix = "build the losses with the options and training rows of the run that wrote the checkpoint";
        foreach (var name in expected.Keys.Where(n => !saved.ContainsKey(n)))
            yield return $"loss '{name}' has no entry '{LossEntry(name)}' (the checkpoint was written without it; {fix})";
        foreach (var name in saved.Keys.Where(n => !expected.ContainsKey(n)))
            yield return $"entry '{LossEntry(name)}' holds a loss '{name}' that this objective does not have ({fix})";
        foreach (var (name, state) in expected.Where(kv => saved.ContainsKey(kv.Key)))
        {
            var problems = Mismatches($"loss '{name}' ({LossEntry(name)})", saved[name], state, "this run's loss").ToList();
            if (problems.Count > 0) yield return $"{string.Join("; ", problems)} ({fix})";
        }
    }

    private static IEnumerable<string> GeneratorMismatches(Dictionary<string, Tensor> saved, IReadOnlyDictionary<string, torch.Generator> generators)
    {
        if (!saved.ContainsKey(TorchGenerator)) yield return $"{RngEntry}: missing '{TorchGenerator}'";
        else
        {
            using var current = get_rng_state();
            if (GeneratorStateMismatch($"{RngEntry} '{TorchGenerator}'", saved[TorchGenerator], current) is { } problem) yield return problem;
        }
        foreach (var (name, generator) in generators.Where(kv => saved.ContainsKey(kv.Key)))
        {
            using var current = generator.get_state();
            if (GeneratorStateMismatch($"{RngEntry} '{name}'", saved[name], current) is { } problem) yield return problem;
        }
        foreach (var name in generators.Keys.Where(n => !saved.ContainsKey(n)))
            yield return $"{RngEntry}: missing the state of generator '{name}' (the run that wrote it drew from torch's global generator)";
        foreach (var name in saved.Keys.Where(n => n != TorchGenerator && !generators.ContainsKey(n)))
            yield return $"{RngEntry}: holds the state of generator '{name}', which this objective does not have";
    }

    private static IEnumerable<KeyValuePair<string, Tensor>> Parameters(ITrainingObjective objective)
        => objective.Parameters().Select((parameter, i) => KeyValuePair.Create(i.ToString(System.Globalization.CultureInfo.InvariantCulture), (Tensor)parameter));
}
