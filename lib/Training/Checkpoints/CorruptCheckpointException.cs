using Distill.Data;

namespace Distill.Training.Checkpoints;

/// <summary>A checkpoint file cannot be read or does not belong to the run that resumes from it.</summary>
/// <param name="path">The checkpoint file.</param>
/// <param name="problem">What is wrong.</param>
/// <param name="inner">The underlying error, if any.</param>
public sealed class CorruptCheckpointException(string path, string problem, Exception? inner = null)
    : InvalidFileException(path, $"Checkpoint '{path}' cannot be resumed: {problem} Delete the file to start afresh, or resume from an intact copy.", inner)
{
    /// <summary>The checkpoint file.</summary>
    public string Path { get; } = path;
}
