using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using Distill.Notebooks;
using TorchSharp;

namespace Distill.Tests.Packaging;

/// <summary>The run-time GLIBCXX fix: a copy of TorchSharp's pristine library, with only the missing requirement made weak.</summary>
/// <remarks>
/// The pristine library is read from TorchSharp's .nupkg in the NuGet cache (the extracted copy there may already be
/// patched by the build). The "system" libstdc++ is the real one with GLIBCXX_3.4.32 removed or added, so that the tests
/// mean the same on every system.
/// </remarks>
public sealed class LibstdcxxCompatibilityTests : IDisposable
{
    private const string Missing = "GLIBCXX_3.4.32";
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"distill-libstdcxx-{Guid.NewGuid():N}");
    private readonly string library;

    public LibstdcxxCompatibilityTests()
    {
        Directory.CreateDirectory(folder);
        library = Path.Combine(folder, "pristine", "libLibTorchSharp.so");
        Directory.CreateDirectory(Path.GetDirectoryName(library)!);
        var version = typeof(torch).Assembly.GetName().Version!;
        string cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
            ? set : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string nupkg = Path.Combine(cache, "torchsharp", version.ToString(3), $"torchsharp.{version.ToString(3)}.nupkg");
        using var package = ZipFile.OpenRead(nupkg);
        package.GetEntry("runtimes/linux-x64/native/libLibTorchSharp.so")!.ExtractToFile(library);
    }

    [Fact]
    public void OldLibstdcxxGetsACopyWithOnlyTheMissingVersionMarkedWeak()
    {
        byte[] original = File.ReadAllBytes(library);
        string copies = Path.Combine(folder, "copies");

        var loadable = LibstdcxxCompatibility.MakeLoadable(library, Libstdcxx(defines32: false), copies);

        Assert.Equal([Missing], loadable.WeakenedVersions);
        Assert.StartsWith(copies, loadable.Path);
        Assert.Equal(original, File.ReadAllBytes(library));
        byte[] copy = File.ReadAllBytes(loadable.Path);
        int[] changed = Enumerable.Range(0, original.Length).Where(i => original[i] != copy[i]).ToArray();
        Assert.Equal(original.Length, copy.Length);
        Assert.Single(changed);
        Assert.Equal(0x2, copy[changed[0]] & ~original[changed[0]]); // VER_FLG_WEAK added, nothing else
        // binutils as an independent reader of the version table, where it is installed (Debian: binutils, part of build-essential).
        if (ReadElfAvailable())
        {
            Assert.Contains($"Name: {Missing}  Flags: none", ReadElfVersions(library));
            Assert.Contains($"Name: {Missing}  Flags: WEAK", ReadElfVersions(loadable.Path));
            Assert.DoesNotContain("Flags: WEAK", ReadElfVersions(loadable.Path).Replace($"Name: {Missing}  Flags: WEAK", ""));
        }
    }

    [Fact]
    public void NewEnoughLibstdcxxLoadsTheOriginalAndWritesNothing()
    {
        string copies = Path.Combine(folder, "copies");

        var loadable = LibstdcxxCompatibility.MakeLoadable(library, Libstdcxx(defines32: true), copies);

        Assert.Equal(library, loadable.Path);
        Assert.Empty(loadable.WeakenedVersions);
        Assert.False(Directory.Exists(copies));
    }

    [Fact]
    public void ADamagedCopyIsRewrittenAndAGoodOneReused()
    {
        string copies = Path.Combine(folder, "copies");
        string oldLibstdcxx = Libstdcxx(defines32: false);
        var first = LibstdcxxCompatibility.MakeLoadable(library, oldLibstdcxx, copies);
        byte[] good = File.ReadAllBytes(first.Path);
        File.WriteAllBytes(first.Path, good[..1000]);

        var second = LibstdcxxCompatibility.MakeLoadable(library, oldLibstdcxx, copies);
        DateTime written = File.GetLastWriteTimeUtc(second.Path);
        var third = LibstdcxxCompatibility.MakeLoadable(library, oldLibstdcxx, copies);

        Assert.Equal(first.Path, second.Path);
        Assert.Equal(good, File.ReadAllBytes(second.Path));
        Assert.Equal(written, File.GetLastWriteTimeUtc(third.Path));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(first.Path)!)); // no partial files left behind
    }

    [Fact]
    public void TruncatedLibraryIsRejectedNamingTheFile()
    {
        string truncated = Path.Combine(folder, "truncated.so");
        File.WriteAllBytes(truncated, File.ReadAllBytes(library)[..4096]);

        var error = Assert.Throws<InvalidDataException>(
            () => LibstdcxxCompatibility.MakeLoadable(truncated, Libstdcxx(defines32: false), Path.Combine(folder, "copies")));
        Assert.Contains(truncated, error.Message);
    }

    [Fact]
    public void NonElfFileAndMissingLibstdcxxLeaveTheFileAsItIs()
    {
        string text = Path.Combine(folder, "not-elf.so");
        File.WriteAllText(text, "not a shared library");

        Assert.Equal(text, LibstdcxxCompatibility.MakeLoadable(text, Libstdcxx(defines32: false), folder).Path);
        Assert.Equal(library, LibstdcxxCompatibility.MakeLoadable(library, null, folder).Path);
        Assert.Throws<FileNotFoundException>(() => LibstdcxxCompatibility.MakeLoadable(Path.Combine(folder, "absent.so"), null, folder));
    }

    /// <summary>This system's libstdc++, edited to define GLIBCXX_3.4.32 or not.</summary>
    private string Libstdcxx(bool defines32)
    {
        string system = LibstdcxxCompatibility.FindSystemLibstdcxx()
                        ?? throw new InvalidOperationException("These tests need a Linux libstdc++.so.6.");
        // Latin-1 maps bytes one to one, so the edit leaves every other byte as it is.
        string text = File.ReadAllText(system, Encoding.Latin1).Replace(Missing + "\0", "GLIBCXX_X.X.XX\0");
        if (defines32) text += Missing + "\0";
        string path = Path.Combine(folder, defines32 ? "libstdc++-new.so.6" : "libstdc++-old.so.6");
        File.WriteAllText(path, text, Encoding.Latin1);
        return path;
    }

    private static bool ReadElfAvailable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "readelf")));

    private static string ReadElfVersions(string path)
    {
        var start = new ProcessStartInfo("readelf", ["-V", "-W", path]) { RedirectStandardOutput = true };
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
        return output;
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
