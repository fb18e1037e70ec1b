using System.IO.Compression;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using static TorchSharp.torch;
using static Distill.Training.Checkpoints.CheckpointZip;

namespace Distill.Training.Checkpoints;

/// <summary>The trainer's own state after an epoch: what, besides tensors, a resumed run needs to continue exactly.</summary>
/// <param name="FormatVersion">Checkpoint format version (<see cref="Checkpoint.FormatVersion"/>).</param>
/// <param name="Run">The objective's <see cref="IEpochObjective{TBatch, TEpoch}.Settings"/> (sizes, options, batch order);
/// a resume of another run is refused.</param>
/// <param name="Settings">The caller's <see cref="CheckpointOptions.Settings"/> (data, method, command-line options); a
/// resume with other settings is refused.</param>
/// <param name="Epoch">Last completed epoch.</param>
/// <param name="History">Every completed epoch's record.</param>
/// <param name="Objective">The objective's own counters (<see cref="IEpochObjective{TBatch, TEpoch}.SaveState"/>).</param>
/// <typeparam name="TEpoch">The objective's epoch record.</typeparam>
public sealed record CheckpointState<TEpoch>(int FormatVersion, string Run, string Settings, int Epoch, IReadOnlyList<TEpoch> History, JsonElement Objective);

/// <summary>The one checkpoint format of every run of <see cref="Trainer"/>: a classifier, a distilled student, the BeatGAN
/// teacher and a BeatGAN student.</summary>
/// <remarks>
/// One zip file, replaced atomically (<see cref="AtomicFile"/>), holding <c>trainer.json</c>
/// (<see cref="CheckpointState{TEpoch}"/>), <c>modules/NAME.pt</c> (the whole state_dict of each of the objective's
/// <see cref="IEpochObjective{TBatch, TEpoch}.Modules"/>: the networks trained and every loss with state, such as CRD's memory
/// banks and Z or a regressor's BatchNorm statistics), <c>best/NAME.pt</c> (the best epoch's weights, where the objective
/// keeps them), <c>optimizers/NAME.pt</c> (each Adam's moments and step counts) and <c>rng.pt</c> (torch's CPU generator under
/// <c>torch</c>, and each of the objective's own generators under its name). The <c>.pt</c> entries are PyTorch pickles
/// (TorchSharp.PyBridge), so Python can inspect them with <c>torch.load</c>. The batch order needs no saved state: it is a
/// function of the seed and the epoch (<see cref="IBatchOrder"/>), and the settings name it.
/// <para>
/// Format version 3 is the first of the one trainer. The earlier formats, the classifier trainer's version 2 and the BeatGAN
/// trainers' version 1, are refused with that said. Torch's CUDA generator cannot be read through TorchSharp, so a run that
/// draws random numbers on a GPU from the global generator continues with other draws after a resume; on the CPU a resumed
/// run is bit-identical.
/// </para>
/// </remarks>
public static class Checkpoint
{
    /// <summary>Version written into <see cref="CheckpointState{TEpoch}.FormatVersion"/>; other versions are refused.</summary>
    public const int FormatVersion = 3;

    private const string StateEntry = "trainer.json";
    private const string ModuleFolder = "modules/";
    private const string BestFolder = "best/";
    private const string OptimizerFolder = "optimizers/";
    private const string RngEntry = "rng.pt";
    private const string TorchGenerator = "torch";

    /// <summary>Reads only the number of completed epochs of a checkpoint, to say what a resume will do.</summary>
    /// <exception cref="CorruptCheckpointException">The file is truncated or corrupt, or from another format version.</exception>
    public static int ReadEpoch(string path) => ReadState<JsonElement>(path).Epoch;

    /// <summary>Reads only the trainer's state of a checkpoint (epoch, history, the objective's counters).</summary>
    /// <exception cref="CorruptCheckpointException">The file is truncated or corrupt, or from another format version.</exception>
    public static CheckpointState<TEpoch> ReadState<TEpoch>(string path)
    {
        var entries = ReadVerified(path);
        try
        {
            return ReadState<TEpoch>(entries, path);
        }
        catch (Exception error) when (IsUnreadable(error))
        {
            throw Unreadable(path, error);
        }
    }

    /// <summary>Writes a checkpoint atomically: the file holds either the previous checkpoint or this one, never a mixture.</summary>
    internal static void Save<TBatch, TEpoch>(string path, CheckpointState<TEpoch> state, IEpochObjective<TBatch, TEpoch> objective)
    {
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            WriteEntry(zip, StateEntry, entry => JsonSerializer.Serialize(entry, state, Json));
            foreach (var (name, module) in objective.Modules) WriteTensors(zip, ModuleEntry(name), module.state_dict());
            foreach (var (name, snapshot) in objective.Best)
                if (snapshot.Captured is { } captured) WriteTensors(zip, BestEntry(name), captured);
            foreach (var (name, optimizer) in objective.Optimizers) WriteEntry(zip, OptimizerEntry(name), entry => optimizer.save_py(entry, leaveOpen: true));
            using var scope = NewDisposeScope();
            WriteTensors(zip, RngEntry, objective.Generators.Select(kv => KeyValuePair.Create(kv.Key, kv.Value.get_state()))
                                                           .Prepend(KeyValuePair.Create(TorchGenerator, get_rng_state())));
        });
    }

    /// <summary>Reads a checkpoint and restores it into the objective's modules, optimisers, generators, best weights and
    /// counters, and torch's generator; returns the trainer's state. Nothing is changed when the file is refused: every
    /// entry's CRC-32, every tensor's name, shape, dtype and finiteness, the generator states and (by a dry run on copies)
    /// each optimiser's state are checked before the first value is copied.</summary>
    /// <exception cref="CorruptCheckpointException">The file is truncated or corrupt, from another format version or
    /// settings, has more epochs than this run, or does not fit the objective's modules.</exception>
    internal static CheckpointState<TEpoch> Load<TBatch, TEpoch>(string path, string settings, IEpochObjective<TBatch, TEpoch> objective)
    {
        CheckpointState<TEpoch> state;
        Dictionary<string, Dictionary<string, Tensor>> saved, best;
        Dictionary<string, Tensor> rng;
        Dictionary<string, byte[]> optimizerBytes;
        var entries = ReadVerified(path);
        try
        {
            state = ReadState<TEpoch>(entries, path);
            saved = Folder(entries, path, ModuleFolder);
            best = Folder(entries, path, BestFolder);
            rng = ReadTensors(entries, path, RngEntry);
            optimizerBytes = objective.Optimizers.Keys.ToDictionary(name => name, name => ReadEntry(entries, path, OptimizerEntry(name)));
        }
        catch (Exception error) when (IsUnreadable(error))
        {
            throw Unreadable(path, error);
        }
        if (state.Settings != settings)
            throw new CorruptCheckpointException(path,
                $"it was written by a run with other settings ({Quote(state.Settings)}), not those of this run ({Quote(settings)}); " +
                "continuing it would mix the two. Use another checkpoint path for these settings.");
        if (state.Run != objective.Settings)
            throw new CorruptCheckpointException(path,
                $"it was written by a run with other settings ({Quote(state.Run)}), not those of this run ({Quote(objective.Settings)}); " +
                "continuing it would mix the two. Use another checkpoint path for these settings.");
        if (state.Epoch > objective.Epochs)
            throw new CorruptCheckpointException(path, $"it holds {state.Epoch} completed epochs, more than the {objective.Epochs} of this run; " +
                                                       $"train for at least {state.Epoch} epochs to resume it.");

        var targets = objective.Modules.ToDictionary(kv => kv.Key, kv => kv.Value.state_dict());
        var problems = new List<string>();
        foreach (var name in targets.Keys.Where(n => !saved.ContainsKey(n)))
            problems.Add($"'{name}' has no entry '{ModuleEntry(name)}' (the checkpoint was written without it)");
        foreach (var name in saved.Keys.Where(n => !targets.ContainsKey(n)))
            problems.Add($"entry '{ModuleEntry(name)}' holds a '{name}' that this run does not have");
        foreach (var (name, target) in targets.Where(kv => saved.ContainsKey(kv.Key)))
            problems.AddRange(Mismatches(ModuleEntry(name), saved[name], target, $"this run's {name}"));
        foreach (var (name, snapshot) in best)
            if (!objective.Best.ContainsKey(name) || !targets.ContainsKey(name))
                problems.Add($"entry '{BestEntry(name)}' holds best weights of a '{name}' that this run does not keep");
            else problems.AddRange(Mismatches(BestEntry(name), snapshot, targets[name], $"this run's {name}"));
        problems.AddRange(GeneratorMismatches(rng, objective.Generators));
        if (problems.Count > 0)
            throw new CorruptCheckpointException(path, $"it does not fit this run: {string.Join("; ", problems)}. " +
                                                       "Build the networks and losses with the sizes, options and training rows of the run that wrote it.");
        foreach (var (name, optimizer) in objective.Optimizers) DryRunOptimizer(path, OptimizerEntry(name), optimizerBytes[name], optimizer);
        try
        {
            objective.RestoreState(state.Objective, state.History);
        }
        catch (Exception error) when (error is ArgumentException or JsonException or InvalidOperationException)
        {
            throw new CorruptCheckpointException(path, $"its {StateEntry} is inconsistent ({error.Message})", error);
        }

        using (no_grad())
            foreach (var (name, target) in targets)
                foreach (var (key, tensor) in target) tensor.copy_(saved[name][key]);
        foreach (var (name, optimizer) in objective.Optimizers)
            using (var stream = new MemoryStream(optimizerBytes[name])) optimizer.load_py(stream, leaveOpen: true);
        set_rng_state(rng[TorchGenerator]);
        foreach (var (name, generator) in objective.Generators) generator.set_state(rng[name]);
        foreach (var (name, snapshot) in best)
            objective.Best[name].Adopt(snapshot.ToDictionary(kv => kv.Key, kv => kv.Value.to(targets[name][kv.Key].device).DetachFromDisposeScope()));
        foreach (var tensor in saved.Values.SelectMany(s => s.Values).Concat(best.Values.SelectMany(s => s.Values)).Concat(rng.Values))
            tensor.Dispose();
        return state;
    }

    private static Dictionary<string, Dictionary<string, Tensor>> Folder(IReadOnlyDictionary<string, byte[]> entries, string path, string folder)
        => entries.Keys.Where(e => e.StartsWith(folder, StringComparison.Ordinal) && e.EndsWith(".pt", StringComparison.Ordinal))
                  .ToDictionary(e => e[folder.Length..^".pt".Length], e => ReadTensors(entries, path, e));

    private static string ModuleEntry(string name) => $"{ModuleFolder}{name}.pt";

    private static string BestEntry(string name) => $"{BestFolder}{name}.pt";

    private static string OptimizerEntry(string name) => $"{OptimizerFolder}{name}.pt";

    private static string Quote(string settings) => settings.Length == 0 ? "none given" : $"'{settings}'";

    private static CheckpointState<TEpoch> ReadState<TEpoch>(IReadOnlyDictionary<string, byte[]> entries, string path)
    {
        var bytes = ReadEntry(entries, path, StateEntry);
        int version = JsonSerializer.Deserialize<VersionOnly>(bytes, Json)?.FormatVersion ?? 0;
        if (version != FormatVersion)
            throw new CorruptCheckpointException(path, $"it has format version {version}; this library reads version {FormatVersion}" + version switch
            {
                2 => " (version 2 is the classifier trainer's format before the one trainer: rerun to write a new checkpoint).",
                1 => " (version 1 is the BeatGAN trainers' format before the one trainer, or the classifier trainer's first, which held " +
                     "no loss state such as CRD's memory banks: rerun to write a new checkpoint).",
                _ => ".",
            });
        var state = JsonSerializer.Deserialize<CheckpointState<TEpoch>>(bytes, Json)
                    ?? throw new CorruptCheckpointException(path, $"{StateEntry} is empty.");
        // The JSON is read without a schema: what a resume relies on is checked here, not met as a null later.
        if (state.History is null || state.History.Any(e => e is null) || state.Epoch < 0 || state.History.Count != state.Epoch
            || state.Objective.ValueKind != JsonValueKind.Object)
            throw new CorruptCheckpointException(path,
                $"its {StateEntry} is inconsistent (epoch {state.Epoch}, {state.History?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} " +
                "epochs of history, or no objective state).");
        return state with { Run = state.Run ?? "", Settings = state.Settings ?? "" };
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
            yield return $"{RngEntry}: holds the state of generator '{name}', which this run does not have";
    }

    private sealed record VersionOnly(int FormatVersion);
}
