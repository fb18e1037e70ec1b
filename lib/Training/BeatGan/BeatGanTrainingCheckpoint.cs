using System.IO.Compression;
using System.Text.Json;
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.PyBridge;
using Distill.Training.Checkpoints;
using static TorchSharp.torch;
using static Distill.Training.Checkpoints.CheckpointZip;

namespace Distill.Training.BeatGan;

/// <summary>A BeatGAN trainer's own state after an epoch: what, besides tensors, a resumed run needs to continue exactly.</summary>
/// <param name="FormatVersion">Checkpoint format version (<see cref="BeatGanTrainingCheckpoint.FormatVersion"/>).</param>
/// <param name="Settings">Everything the run was built from except its epoch count (trainer, sizes, batch, Adam, seed, terms,
/// training beats, and the caller's <see cref="CheckpointOptions.Settings"/>); a resume with other settings is refused.</param>
/// <param name="Epoch">Last completed epoch.</param>
/// <param name="BestEpoch">The teacher's epoch of best validation score so far (0 for a student).</param>
/// <param name="BestScore">That score (−∞ for a student).</param>
/// <param name="History">Every completed epoch's summary.</param>
/// <param name="Reinitialisations">Every discriminator re-initialisation so far (the teacher's log; empty for a student,
/// whose epochs count them).</param>
/// <typeparam name="TEpoch">The trainer's epoch summary.</typeparam>
public sealed record BeatGanTrainerState<TEpoch>(int FormatVersion, string Settings, int Epoch, int BestEpoch, double BestScore,
                                                IReadOnlyList<TEpoch> History, IReadOnlyList<BeatGanReinitialisation> Reinitialisations);

/// <summary>Saves and restores everything a <see cref="BeatGanTrainer"/> or <see cref="BeatGanStudentTrainer"/> run needs to
/// continue as if never interrupted.</summary>
/// <remarks>
/// One zip file, replaced atomically (<see cref="AtomicFile"/>), holding <c>trainer.json</c> (<see cref="BeatGanTrainerState{TEpoch}"/>),
/// <c>modules/NAME.pt</c> (state_dicts of the generator, the discriminator and each distillation term that is a module: CRD's
/// memory banks, the latent regressor), <c>best/generator.pt</c> and <c>best/discriminator.pt</c> (the teacher's best epoch),
/// <c>optimizers/NAME.pt</c> (both Adams' moments and step counts) and <c>rng.pt</c> (torch's CPU generator, which draws the
/// discriminator's re-initialisations and CRD's negatives). The <c>.pt</c> entries are PyTorch pickles, readable with
/// <c>torch.load</c>. The batch order is not saved: both trainers draw every epoch's order from one <see cref="Random"/>
/// seeded once, as published runs did, so a resume replays the completed epochs' shuffles to reach the same position.
/// Torch's CUDA generator cannot be read through TorchSharp, so on a GPU a resumed run continues with other draws; on the
/// CPU it is bit-identical.
/// </remarks>
public static class BeatGanTrainingCheckpoint
{
    /// <summary>Version written into <see cref="BeatGanTrainerState{TEpoch}.FormatVersion"/>; other versions are refused.</summary>
    public const int FormatVersion = 1;

    private const string StateEntry = "trainer.json";
    private const string ModuleFolder = "modules/";
    private const string BestGenerator = "best/generator.pt";
    private const string BestDiscriminator = "best/discriminator.pt";
    private const string OptimizerFolder = "optimizers/";
    private const string RngEntry = "rng.pt";
    private const string TorchGenerator = "torch";

    /// <summary>Reads only the number of completed epochs of a checkpoint, to say what a resume will do.</summary>
    /// <exception cref="CorruptCheckpointException">The file is truncated or corrupt, or from another format version.</exception>
    public static int ReadEpoch(string path)
    {
        var entries = ReadVerified(path);
        try
        {
            return ReadState<JsonElement>(entries, path).Epoch;
        }
        catch (Exception error) when (IsUnreadable(error))
        {
            throw Unreadable(path, error);
        }
    }

    /// <summary>Writes a checkpoint atomically: the file holds either the previous checkpoint or this one, never a mixture.</summary>
    internal static void Save<TEpoch>(string path, BeatGanTrainerState<TEpoch> state, IReadOnlyDictionary<string, nn.Module> modules,
                                      IReadOnlyDictionary<string, OptimizerHelper> optimizers, BeatGanCheckpoint? best)
    {
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            WriteEntry(zip, StateEntry, entry => JsonSerializer.Serialize(entry, state, Json));
            foreach (var (name, module) in modules) WriteTensors(zip, ModuleEntry(name), module.state_dict());
            if (best is not null)
            {
                WriteTensors(zip, BestGenerator, best.Generator);
                WriteTensors(zip, BestDiscriminator, best.Discriminator);
            }
            foreach (var (name, optimizer) in optimizers) WriteEntry(zip, OptimizerEntry(name), entry => optimizer.save_py(entry, leaveOpen: true));
            using var scope = NewDisposeScope();
            WriteTensors(zip, RngEntry, [KeyValuePair.Create(TorchGenerator, get_rng_state())]);
        });
    }

    /// <summary>Reads a checkpoint and restores it into the modules, the optimizers and torch's generator; returns the trainer's
    /// state and the best epoch's weights (null when the file has none). Nothing is changed when the file is refused: every
    /// entry's CRC-32, every tensor's name, shape, dtype and finiteness, torch's generator state and (by a dry run on copies)
    /// each optimizer's state are checked before the first value is copied.</summary>
    /// <param name="path">The checkpoint file.</param>
    /// <param name="settings">This run's settings; the file's must be equal.</param>
    /// <param name="epochs">This run's epochs; a file with more completed epochs is refused.</param>
    /// <param name="modules">The modules to restore, by entry name.</param>
    /// <param name="optimizers">The optimizers to restore, by entry name.</param>
    /// <param name="bestShapes">The generator and discriminator the best weights must fit, when the trainer keeps them.</param>
    /// <exception cref="CorruptCheckpointException">The file is truncated or corrupt, from another format version or settings,
    /// has more epochs than this run, or does not fit the networks.</exception>
    internal static (BeatGanTrainerState<TEpoch> State, BeatGanCheckpoint? Best) Load<TEpoch>(string path, string settings, int epochs,
        IReadOnlyDictionary<string, nn.Module> modules, IReadOnlyDictionary<string, OptimizerHelper> optimizers,
        (nn.Module Generator, nn.Module Discriminator)? bestShapes)
    {
        BeatGanTrainerState<TEpoch> state;
        Dictionary<string, Dictionary<string, Tensor>> saved;
        Dictionary<string, Tensor>? bestG = null, bestD = null;
        Dictionary<string, Tensor> rng;
        Dictionary<string, byte[]> optimizerBytes;
        var entries = ReadVerified(path);
        try
        {
            state = ReadState<TEpoch>(entries, path);
            saved = entries.Keys.Where(e => e.StartsWith(ModuleFolder, StringComparison.Ordinal) && e.EndsWith(".pt", StringComparison.Ordinal))
                           .ToDictionary(e => e[ModuleFolder.Length..^".pt".Length], e => ReadTensors(entries, path, e));
            if (entries.ContainsKey(BestGenerator))
            {
                bestG = ReadTensors(entries, path, BestGenerator);
                bestD = ReadTensors(entries, path, BestDiscriminator);
            }
            rng = ReadTensors(entries, path, RngEntry);
            optimizerBytes = optimizers.Keys.ToDictionary(name => name, name => ReadEntry(entries, path, OptimizerEntry(name)));
        }
        catch (Exception error) when (IsUnreadable(error))
        {
            throw Unreadable(path, error);
        }
        if (state.Settings != settings)
            throw new CorruptCheckpointException(path,
                $"it was written by a run with other settings ('{state.Settings}'), not those of this run ('{settings}'); " +
                "continuing it would mix the two. Use another checkpoint path for these settings.");
        if (state.Epoch > epochs)
            throw new CorruptCheckpointException(path, $"it holds {state.Epoch} completed epochs, more than the {epochs} of this run; " +
                                                       $"train for at least {state.Epoch} epochs to resume it.");

        var targets = modules.ToDictionary(kv => kv.Key, kv => kv.Value.state_dict());
        var problems = new List<string>();
        foreach (var name in targets.Keys.Where(n => !saved.ContainsKey(n))) problems.Add($"no entry '{ModuleEntry(name)}'");
        foreach (var name in saved.Keys.Where(n => !targets.ContainsKey(n))) problems.Add($"entry '{ModuleEntry(name)}' belongs to no module of this run");
        foreach (var (name, target) in targets.Where(kv => saved.ContainsKey(kv.Key)))
            problems.AddRange(Mismatches(ModuleEntry(name), saved[name], target, $"this run's {name}"));
        if (bestShapes is { } shapes)
        {
            if (bestG is null || bestD is null) problems.Add($"no '{BestGenerator}' entry for the best epoch's weights");
            else problems.AddRange(Mismatches(BestGenerator, bestG, shapes.Generator.state_dict(), "this run's generator")
                                   .Concat(Mismatches(BestDiscriminator, bestD, shapes.Discriminator.state_dict(), "this run's discriminator")));
        }
        if (!rng.ContainsKey(TorchGenerator)) problems.Add($"{RngEntry}: missing '{TorchGenerator}'");
        else
        {
            using var current = get_rng_state();
            if (GeneratorStateMismatch($"{RngEntry} '{TorchGenerator}'", rng[TorchGenerator], current) is { } problem) problems.Add(problem);
        }
        if (problems.Count > 0)
            throw new CorruptCheckpointException(path, $"it does not fit these networks: {string.Join("; ", problems)}. " +
                                                       "Build the networks and terms with the sizes of the run that wrote it.");
        foreach (var (name, optimizer) in optimizers) DryRunOptimizer(path, OptimizerEntry(name), optimizerBytes[name], optimizer);

        using (no_grad())
            foreach (var (name, target) in targets)
                foreach (var (key, tensor) in target) tensor.copy_(saved[name][key]);
        foreach (var (name, optimizer) in optimizers)
            using (var stream = new MemoryStream(optimizerBytes[name])) optimizer.load_py(stream, leaveOpen: true);
        set_rng_state(rng[TorchGenerator]);
        var best = bestShapes is { } fit && bestG is not null && bestD is not null
            ? BeatGanCheckpoint.Adopt(OnDevice(bestG, fit.Generator), OnDevice(bestD, fit.Discriminator))
            : null;
        foreach (var tensor in saved.Values.SelectMany(s => s.Values).Concat(rng.Values)) tensor.Dispose();
        return (state, best);
    }

    /// <summary>What a non-finite loss leaves behind, for <see cref="NonFiniteLossException"/>'s message.</summary>
    internal static string Kept(CheckpointOptions? checkpoints, int savedEpoch) => (checkpoints, savedEpoch) switch
    {
        (null, _) => "No checkpoint was written (none was asked for); the networks in memory hold non-finite weights.",
        (_, 0) => $"No epoch had completed, so no checkpoint was written to '{checkpoints.Path}'.",
        _ => $"The last good checkpoint (epoch {savedEpoch}) is kept at '{checkpoints.Path}'.",
    };

    private static Dictionary<string, Tensor> OnDevice(Dictionary<string, Tensor> saved, nn.Module module)
    {
        var devices = module.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.device);
        return saved.ToDictionary(kv => kv.Key, kv =>
        {
            var moved = kv.Value.to(devices[kv.Key]).DetachFromDisposeScope();
            if (!ReferenceEquals(moved, kv.Value)) kv.Value.Dispose();
            return moved;
        });
    }

    private static string ModuleEntry(string name) => $"{ModuleFolder}{name}.pt";

    private static string OptimizerEntry(string name) => $"{OptimizerFolder}{name}.pt";

    private static BeatGanTrainerState<TEpoch> ReadState<TEpoch>(IReadOnlyDictionary<string, byte[]> entries, string path)
    {
        var state = JsonSerializer.Deserialize<BeatGanTrainerState<TEpoch>>(ReadEntry(entries, path, StateEntry), Json)
                    ?? throw new CorruptCheckpointException(path, $"{StateEntry} is empty.");
        if (state.FormatVersion != FormatVersion)
            throw new CorruptCheckpointException(path, $"it has format version {state.FormatVersion}; this library reads BeatGAN checkpoints of version {FormatVersion}.");
        // The JSON is read without a schema: what a resume relies on is checked here, not met as a null later.
        if (state.History is null || state.History.Any(e => e is null) || state.Epoch < 0 || state.History.Count != state.Epoch
            || state.BestEpoch < 0 || state.BestEpoch > state.Epoch)
            throw new CorruptCheckpointException(path,
                $"its {StateEntry} is inconsistent (epoch {state.Epoch}, {state.History?.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no"} " +
                $"epochs of history, best epoch {state.BestEpoch}).");
        return state with { Settings = state.Settings ?? "", Reinitialisations = state.Reinitialisations ?? [] };
    }
}
