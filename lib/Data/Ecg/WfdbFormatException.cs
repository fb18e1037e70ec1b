namespace Distill.Data.Ecg;

/// <summary>A WFDB file (header, signal or annotation) that cannot be read as it stands.</summary>
/// <remarks>The message always names the file, the problem and what to do about it.</remarks>
public sealed class WfdbFormatException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/> with a problem description and a suggested fix.</summary>
    public WfdbFormatException(string path, string problem, string fix)
        : base($"{path}: {problem}. {fix}")
    {
        FilePath = path;
    }

    /// <summary>The file that could not be read.</summary>
    public string FilePath { get; }
}
