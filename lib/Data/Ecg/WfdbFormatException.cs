namespace Distill.Data.Ecg;

/// <summary>A WFDB file (header, signal or annotation) that cannot be read as it stands.</summary>
/// <remarks>The message always names the file, the problem and what to do about it.</remarks>
public sealed class WfdbFormatException : InvalidFileException
{
    /// <summary>Creates the exception for <paramref name="path"/> with a problem description and a suggested fix.</summary>
    public WfdbFormatException(string path, string problem, string fix)
        : base(path, $"{path}: {problem}. {fix}")
    {
    }
}
