namespace Distill.Cli;

/// <summary>Checks, before any training, that a folder the command will write can be created and written, so that a bad
/// <c>--out</c> (a file, /proc, a too-long path, a full disk) fails in a second instead of after hours of training.</summary>
public static class OutputFolder
{
    /// <summary>Creates <paramref name="folder"/> if needed, writes and deletes a probe file in it; returns its full path.</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="option">The option that named it, for the message.</param>
    /// <exception cref="OutputFolderException">The folder cannot be created or written.</exception>
    public static string Probe(string folder, string option)
    {
        string full = Path.GetFullPath(folder);
        string probe = Path.Combine(full, $".distill-probe-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(full);
            using (var stream = new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(new byte[4096]);
                stream.Flush(flushToDisk: true);
            }
            File.Delete(probe);
            return full;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            try { if (File.Exists(probe)) File.Delete(probe); }
            catch (Exception cleanup) when (cleanup is IOException or UnauthorizedAccessException) { }
            throw new OutputFolderException(
                $"cannot write to the {option} folder '{full}' ({error.Message}); nothing was trained. Choose a writable folder with {option}.", error);
        }
    }
}
