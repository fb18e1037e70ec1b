using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Distill.Notebooks;

/// <summary>A native library ready to load: its path and the libstdc++ version requirements that were marked weak.</summary>
/// <param name="Path">The file to load: the original, or a patched copy when <paramref name="WeakenedVersions"/> is not empty.</param>
/// <param name="WeakenedVersions">The symbol versions (e.g. <c>GLIBCXX_3.4.32</c>) this system's libstdc++ lacks.</param>
public sealed record LoadableLibrary(string Path, IReadOnlyList<string> WeakenedVersions);

/// <summary>Makes a native library loadable when it requires libstdc++ symbol versions that this system's libstdc++ lacks.</summary>
/// <remarks>
/// TorchSharp 0.107's <c>libLibTorchSharp.so</c> requires <c>GLIBCXX_3.4.32</c> for one symbol it never calls
/// (<c>std::ios_base_library_init</c>, new in GCC 13); Debian 12 and Ubuntu 22.04 stop at <c>GLIBCXX_3.4.30</c>, so the
/// dynamic loader refuses the library. ELF symbol versioning lists each required version in <c>.gnu.version_r</c>
/// (<c>Elf64_Verneed</c> / <c>Elf64_Vernaux</c>); setting <c>VER_FLG_WEAK</c> on a requirement lets the library load, and only
/// a call to a symbol of that version would fail. The repository's build applies the same fix to its outputs and to the
/// NuGet cache (<c>tools/native/MarkMissingGlibcxxVersionsWeak.cs</c>, an MSBuild task that cannot share this code because it
/// runs before the library is compiled). A notebook kernel that restores the package runs none of the package's build
/// targets, so <see cref="NotebookEnvironment.Setup"/> applies the fix at run time, to a copy: the NuGet cache is never
/// modified at run time.
/// </remarks>
public static class LibstdcxxCompatibility
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    private static readonly string[] SystemLibstdcxxCandidates =
    [
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    ];

    /// <summary>The folder that holds patched copies: <c>~/.local/share/Distill/native</c> (per user), else the temp folder.</summary>
    public static string DefaultCopyFolder { get; } = Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData) is { Length: > 0 } data ? data : Path.GetTempPath(),
        "Distill", "native");

    /// <summary>The system's <c>libstdc++.so.6</c>, or null when there is none (Windows, macOS, unusual Linux layouts).</summary>
    public static string? FindSystemLibstdcxx() => OperatingSystem.IsLinux() ? SystemLibstdcxxCandidates.FirstOrDefault(File.Exists) : null;

    /// <summary>Returns the library itself when it loads here, else a patched copy under <see cref="DefaultCopyFolder"/>.</summary>
    /// <param name="library">Full path of the native library (e.g. TorchSharp's <c>libLibTorchSharp.so</c>).</param>
    public static LoadableLibrary MakeLoadable(string library) => MakeLoadable(library, FindSystemLibstdcxx(), DefaultCopyFolder);

    /// <summary>Returns the library itself when it loads against <paramref name="systemLibstdcxx"/>, else a patched copy.</summary>
    /// <param name="library">Full path of the native library; it is never modified.</param>
    /// <param name="systemLibstdcxx">The libstdc++ the loader will use; null means there is none to compare with (nothing done).</param>
    /// <param name="copyFolder">Where the copy goes, in a subfolder named after the original's SHA-256 so that each original
    /// has its own copy; an existing copy is reused only if it is byte-identical to a fresh patch.</param>
    /// <exception cref="FileNotFoundException">The library does not exist.</exception>
    /// <exception cref="InvalidDataException">The library is a truncated or corrupt ELF file.</exception>
    public static LoadableLibrary MakeLoadable(string library, string? systemLibstdcxx, string copyFolder)
    {
        if (!File.Exists(library))
            throw new FileNotFoundException($"Native library '{library}' does not exist.", library);
        if (systemLibstdcxx is null) return new LoadableLibrary(library, []);

        byte[] elf = File.ReadAllBytes(library);
        byte[] provided = File.ReadAllBytes(systemLibstdcxx);
        var missing = LibstdcxxRequirements(elf, library)
            .Where(need => (need.Flags & VerFlgWeak) == 0 && !Defines(provided, need.Version))
            .ToList();
        if (missing.Count == 0) return new LoadableLibrary(library, []);

        string hash = Convert.ToHexString(SHA256.HashData(elf))[..16].ToLowerInvariant();
        foreach (var need in missing)
            BinaryPrimitives.WriteUInt16LittleEndian(elf.AsSpan(need.FlagsOffset), (ushort)(need.Flags | VerFlgWeak));
        string copy = Path.Combine(copyFolder, hash, Path.GetFileName(library));
        if (!File.Exists(copy) || !File.ReadAllBytes(copy).AsSpan().SequenceEqual(elf))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            // Write then rename: a kernel starting at the same time never sees a half-written library.
            string partial = $"{copy}.{Guid.NewGuid():N}.partial";
            File.WriteAllBytes(partial, elf);
            File.Move(partial, copy, overwrite: true);
        }
        return new LoadableLibrary(copy, missing.Select(need => need.Version).ToList());
    }

    /// <summary>The libstdc++ version requirements of an ELF64 little-endian file; none for any other kind of file.</summary>
    private static List<(int FlagsOffset, ushort Flags, string Version)> LibstdcxxRequirements(byte[] elf, string path)
    {
        var needs = new List<(int, ushort, string)>();
        if (elf.Length < 64 || !elf.AsSpan(0, 4).SequenceEqual("\u007FELF"u8) || elf[4] != 2 || elf[5] != 1) return needs;
        try
        {
            int sectionTable = checked((int)U64(elf, 0x28));
            int sectionSize = U16(elf, 0x3A), sectionCount = U16(elf, 0x3C);
            for (int s = 0; s < sectionCount; s++)
            {
                int section = checked(sectionTable + s * sectionSize);
                if (U32(elf, section + 4) != ShtGnuVerneed) continue;
                int strings = checked((int)U64(elf, checked(sectionTable + (int)U32(elf, section + 0x28) * sectionSize) + 0x18));
                int verneed = checked((int)U64(elf, section + 0x18));
                uint fileCount = U32(elf, section + 0x2C);
                for (uint f = 0; f < fileCount; f++)
                {
                    // Elf64_Verneed: vn_version u16, vn_cnt u16, vn_file u32, vn_aux u32, vn_next u32.
                    string file = CString(elf, checked(strings + (int)U32(elf, verneed + 4)));
                    int vernaux = checked(verneed + (int)U32(elf, verneed + 8));
                    for (int a = 0; a < U16(elf, verneed + 2); a++)
                    {
                        // Elf64_Vernaux: vna_hash u32, vna_flags u16, vna_other u16, vna_name u32, vna_next u32.
                        if (file.StartsWith("libstdc++", StringComparison.Ordinal))
                            needs.Add((vernaux + 4, U16(elf, vernaux + 4), CString(elf, checked(strings + (int)U32(elf, vernaux + 8)))));
                        vernaux = checked(vernaux + (int)U32(elf, vernaux + 12));
                    }
                    verneed = checked(verneed + (int)U32(elf, verneed + 12));
                }
            }
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException(
                $"'{path}' is a truncated or corrupt ELF file ({e.Message}). Delete its NuGet package folder and restore it again.", e);
        }
        return needs;
    }

    // The name is stored NUL-terminated in libstdc++'s version table: the terminator keeps GLIBCXX_3.4.3 from matching GLIBCXX_3.4.32.
    private static bool Defines(byte[] libstdcxx, string version)
        => libstdcxx.AsSpan().IndexOf(Encoding.ASCII.GetBytes(version + "\0")) >= 0;

    private static ushort U16(byte[] data, int at) => BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(at, 2));

    private static uint U32(byte[] data, int at) => BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(at, 4));

    private static ulong U64(byte[] data, int at) => BinaryPrimitives.ReadUInt64LittleEndian(data.AsSpan(at, 8));

    private static string CString(byte[] data, int at)
    {
        int length = data.AsSpan(at).IndexOf((byte)0);
        if (length < 0) throw new ArgumentOutOfRangeException(nameof(at), "string table entry has no terminating NUL");
        return Encoding.ASCII.GetString(data, at, length);
    }
}
