#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

/// <summary>
/// Marks the libstdc++ symbol-version requirements of an ELF64 shared library weak when the system's
/// libstdc++ does not define them, so that the dynamic loader accepts the library.
/// </summary>
/// <remarks>
/// ELF symbol versioning (.gnu.version_r, section type SHT_GNU_verneed) lists, per needed file, the
/// version names it requires (Elf64_Vernaux). A requirement with VER_FLG_WEAK (2) set no longer
/// makes loading fail when the version is absent; only a call to a symbol of that version would.
/// Files that are not little-endian ELF64, or that need nothing missing, are left untouched.
/// </remarks>
public class MarkMissingGlibcxxVersionsWeak : Task
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    private static readonly string[] SystemLibstdcxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    };

    [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

    public override bool Execute()
    {
        string? libstdcxx = SystemLibstdcxxCandidates.FirstOrDefault(File.Exists);
        if (libstdcxx is null)
        {
            Log.LogMessage(MessageImportance.Low, "No system libstdc++.so.6 found; TorchSharp native library left as is.");
            return true;
        }
        string provided = Encoding.ASCII.GetString(File.ReadAllBytes(libstdcxx));
        foreach (ITaskItem item in Files)
        {
            string path = item.GetMetadata("FullPath");
            List<string> weakened = Patch(path, version => !ContainsVersion(provided, version));
            if (weakened.Count > 0)
                Log.LogMessage(MessageImportance.High,
                    $"Distill: marked {string.Join(", ", weakened)} weak in {path} (system libstdc++ lacks them; see environment.md).");
        }
        return true;
    }

    private static bool ContainsVersion(string provided, string version)
    {
        // The name is stored NUL-terminated; require the terminator so GLIBCXX_3.4.3 does not match GLIBCXX_3.4.32.
        return provided.IndexOf(version + "\0", StringComparison.Ordinal) >= 0;
    }

    private static List<string> Patch(string path, Func<string, bool> isMissing)
    {
        var weakened = new List<string>();
        byte[] elf = File.ReadAllBytes(path);
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F'
            || elf[4] != 2 || elf[5] != 1)
            return weakened;

        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        var patches = new List<int>();
        for (int i = 0; i < shnum; i++)
        {
            int sh = checked((int)shoff + i * shentsize);
            if (BitConverter.ToUInt32(elf, sh + 4) != ShtGnuVerneed) continue;
            int offset = checked((int)BitConverter.ToUInt64(elf, sh + 0x18));
            uint link = BitConverter.ToUInt32(elf, sh + 0x28);
            int count = (int)BitConverter.ToUInt32(elf, sh + 0x2C);
            int strtab = checked((int)BitConverter.ToUInt64(elf, checked((int)shoff + (int)link * shentsize) + 0x18));

            int verneed = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, verneed + 2);
                string file = ReadString(elf, strtab + (int)BitConverter.ToUInt32(elf, verneed + 4));
                int aux = verneed + (int)BitConverter.ToUInt32(elf, verneed + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    ushort flags = BitConverter.ToUInt16(elf, aux + 4);
                    string name = ReadString(elf, strtab + (int)BitConverter.ToUInt32(elf, aux + 8));
                    if (file.StartsWith("libstdc++", StringComparison.Ordinal) && (flags & VerFlgWeak) == 0 && isMissing(name))
                    {
                        patches.Add(aux + 4);
                        weakened.Add(name);
                    }
                    aux += (int)BitConverter.ToUInt32(elf, aux + 12);
                }
                verneed += (int)BitConverter.ToUInt32(elf, verneed + 12);
            }
        }
        if (patches.Count == 0) return weakened;

        using var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        foreach (int at in patches)
        {
            ushort flags = (ushort)(BitConverter.ToUInt16(elf, at) | VerFlgWeak);
            stream.Position = at;
            stream.Write(BitConverter.GetBytes(flags), 0, 2);
        }
        return weakened;
    }

    private static string ReadString(byte[] data, int at)
    {
        int end = Array.IndexOf(data, (byte)0, at);
        return Encoding.ASCII.GetString(data, at, end - at);
    }
}
