namespace Distill.Training.Checkpoints;

/// <summary>Writes a file so that readers see either the old content or the complete new content, never a partial file.</summary>
/// <remarks>The content goes to a temporary file in the same folder (a rename is atomic only within one file system),
/// is flushed to disk, and then replaces the target with <see cref="File.Move(string, string, bool)"/>. A crash
/// mid-write leaves at worst a stray <c>.tmp</c> file next to an intact previous version.</remarks>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    /// <param name="path">The file to create or replace; its folder is created if needed.</param>
    /// <param name="write">Writes the whole content to the stream it is given (and must not close it).</param>
    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(full) ?? throw new ArgumentException($"'{path}' has no folder.", nameof(path));
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
