namespace Distill.Data;

/// <summary>A file the library reads is truncated, corrupt, of another format, or does not fit what reads it.</summary>
/// <remarks>Every reader of the library (WFDB records, NPY arrays, CSV tables, PyTorch state_dicts, checkpoints) reports a
/// bad file with this type or a subclass of it, and its message names the file, the problem and what to do. Callers can
/// therefore tell a bad input file from a bug with one <c>catch</c>; the command line maps it to its "bad data" exit code.</remarks>
public class InvalidFileException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>; <paramref name="message"/> is the whole message and must name the file.</summary>
    /// <param name="path">The file that could not be read.</param>
    /// <param name="message">The problem and the fix, naming the file.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public InvalidFileException(string path, string message, Exception? inner = null) : base(message, inner)
    {
        FilePath = path;
    }

    /// <summary>The file that could not be read.</summary>
    public string FilePath { get; }

    /// <summary>The exception for <paramref name="path"/> with a problem and a suggested fix: "<c>path: problem. fix.</c>".</summary>
    public static InvalidFileException Of(string path, string problem, string fix, Exception? inner = null)
        => new(path, $"{path}: {problem}. {fix}.", inner);
}
