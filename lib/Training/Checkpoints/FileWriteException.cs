namespace Distill.Training.Checkpoints;

/// <summary>A file could not be written (the folder is not writable, the disk is full, the path is too long); the
/// previous content of the file, if any, is intact.</summary>
/// <param name="path">The file that was being written.</param>
/// <param name="inner">The underlying error.</param>
public sealed class FileWriteException(string path, Exception inner)
    : IOException($"Cannot write '{path}': {inner.Message.TrimEnd('.')}. Free disk space or choose a writable folder; the previous version of the file, if any, is intact.", inner)
{
    /// <summary>The file that was being written.</summary>
    public string Path { get; } = path;
}
