namespace Distill.Training.Checkpoints;

/// <summary>Where and how often a <see cref="SupervisedTrainer"/> (or a BeatGAN trainer: every run of <see cref="Trainer"/>, in one format, <see cref="Checkpoint"/>) writes its checkpoint.</summary>
/// <param name="Path">The checkpoint file; it is replaced atomically, so it always holds the last complete epoch.</param>
/// <param name="Every">Write after every this many epochs (and always after the last one).</param>
/// <param name="Resume">Continue from the file when it exists; otherwise it is overwritten by a fresh run.</param>
/// <param name="Settings">What the run was built from that the checkpoint's tensors do not reveal (method, weights, data
/// split, teacher, training options), in words; a checkpoint written with other settings is refused rather than continued
/// under the new ones. Empty when the caller does not describe them.</param>
public sealed record CheckpointOptions(string Path, int Every = 1, bool Resume = true, string Settings = "")
{
    /// <summary>Throws a clear error for settings that cannot work.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Path)) throw new ArgumentException("The checkpoint path is empty.", nameof(Path));
        if (Every < 1) throw new ArgumentOutOfRangeException(nameof(Every), $"Checkpoints are written every N >= 1 epochs, got {Every}.");
        ArgumentNullException.ThrowIfNull(Settings);
    }

    /// <summary>Whether the checkpoint is written after <paramref name="epoch"/>.</summary>
    public bool IsDue(int epoch, bool isLast) => isLast || epoch % Every == 0;
}
