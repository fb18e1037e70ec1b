using System.Text.RegularExpressions;

namespace Distill.Training.Checkpoints;

/// <summary>Writes a file so that readers see either the old content or the complete new content, never a partial file.</summary>
/// <remarks>The content goes to a temporary file <c>.NAME.GUID.tmp</c> in the same folder (a rename is atomic only within
/// one file system), is flushed to disk, and then replaces the target with <see cref="File.Move(string, string, bool)"/>.
/// A process killed mid-write leaves that temporary file next to an intact previous version; the next write of the same
/// file removes such leftovers. A leftover is told from a write in progress by its lock: the writer holds the temporary
/// file open with <see cref="FileShare.None"/>, which .NET takes as an OS-level exclusive lock that dies with the process.</remarks>
public static partial class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <param name="path">The file to create or replace; its folder is created if needed.</param>
    /// <param name="write">Writes the whole content to the stream it is given (and must not close it).</param>
    /// <exception cref="FileWriteException">The folder cannot be created or written, or the disk is full; the previous
    /// file is intact.</exception>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            Directory.CreateDirectory(folder);
            RemoveLeftovers(full);
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException && error is not FileWriteException)
        {
            throw new FileWriteException(full, error);
        }
        finally
        {
            try { if (File.Exists(temporary)) File.Delete(temporary); }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException) { } // the write's own error matters
        }
    }

    /// <summary>Deletes the temporary files that killed writes of <paramref name="path"/> left behind (only those of this
    /// file, and only when no live process holds them), and returns how many.</summary>
    public static int RemoveLeftovers(string path)
    {
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (folder is null || !Directory.Exists(folder)) return 0;
        string name = Path.GetFileName(full);
        int removed = 0;
        foreach (string candidate in Directory.EnumerateFiles(folder, $".{name}.*.tmp"))
        {
            var match = Temporary().Match(Path.GetFileName(candidate));
            if (!match.Success || match.Groups["name"].Value != name) continue;
            try
            {
                // A live writer holds its file with an exclusive lock: this open fails and the file is left alone.
                using (new FileStream(candidate, FileMode.Open, FileAccess.ReadWrite, FileShare.None)) { }
                File.Delete(candidate);
                removed++;
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException) { }
        }
        return removed;
    }

    [GeneratedRegex(@"^\.(?<name>.+)\.[0-9a-f]{32}\.tmp$")]
    private static partial Regex Temporary();
}
