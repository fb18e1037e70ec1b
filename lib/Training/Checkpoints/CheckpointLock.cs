namespace Distill.Training.Checkpoints;

/// <summary>Another process is using the checkpoint folder.</summary>
/// <param name="folder">The checkpoint folder.</param>
/// <param name="inner">The error of the lock attempt.</param>
public sealed class CheckpointInUseException(string folder, Exception inner)
    : IOException($"The checkpoint folder '{folder}' is in use by another distill run (it holds {CheckpointLock.FileName} there). " +
                  "Wait for that run to finish, or give this run another --checkpoint folder; two runs on one folder would overwrite each other's checkpoints.", inner)
{
    /// <summary>The checkpoint folder.</summary>
    public string Folder { get; } = folder;
}

/// <summary>An exclusive, OS-level lock on a checkpoint folder, held while a run writes its checkpoints there, so that a
/// second run on the same folder is refused instead of interleaving its writes with the first.</summary>
/// <remarks>The lock is the file <see cref="FileName"/> in the folder, held open with <see cref="FileShare.None"/>, which
/// .NET takes as an exclusive <c>flock</c> on Unix and a share-mode lock on Windows. The operating system releases it when
/// the process ends however it ends (kill -9 included), so a crashed run never leaves a stale lock that blocks the next
/// one; the empty file itself stays and is harmless.</remarks>
public sealed class CheckpointLock : IDisposable
{
    /// <summary>The lock file's name.</summary>
    public const string FileName = ".distill.lock";

    private readonly FileStream stream;

    private CheckpointLock(FileStream stream) => this.stream = stream;

    /// <summary>Creates <paramref name="folder"/> if needed and takes its lock.</summary>
    /// <exception cref="CheckpointInUseException">Another process holds the lock.</exception>
    /// <exception cref="FileWriteException">The folder cannot be created or the lock file cannot be written.</exception>
    public static CheckpointLock Acquire(string folder)
    {
        string full = Path.GetFullPath(folder);
        string path = Path.Combine(full, FileName);
        try
        {
            Directory.CreateDirectory(full);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw new FileWriteException(path, error);
        }
        try
        {
            return new CheckpointLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
        }
        catch (UnauthorizedAccessException error)
        {
            throw new FileWriteException(path, error);
        }
        catch (IOException error) when (File.Exists(path))
        {
            throw new CheckpointInUseException(full, error);
        }
        catch (IOException error)
        {
            throw new FileWriteException(path, error);
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => stream.Dispose();
}
