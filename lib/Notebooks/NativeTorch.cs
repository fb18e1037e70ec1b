using System.Reflection;
using System.Runtime.InteropServices;
using System.Xml.Linq;
using TorchSharp;

namespace Distill.Notebooks;

/// <summary>Finds LibTorch and TorchSharp's native library and loads them by full path, LibTorch first.</summary>
/// <remarks>
/// Two layouts are searched. A DLL referenced by path (the repository's notebooks:
/// <c>#r "../bin/Debug/net10.0/Distill.Lib.dll"</c>) has both files in its build output under <c>runtimes/RID/native</c>.
/// A package referenced with <c>#r "nuget: Distill.Lib, VERSION"</c> is used in place in the NuGet packages folder, where
/// each native file stays in its own package: TorchSharp's library in <c>torchsharp/VERSION</c>, LibTorch in
/// <c>libtorch-cpu-RID/VERSION</c> at the version that <c>TorchSharp-cpu</c>'s nuspec asks for. Loading LibTorch first by
/// full path makes TorchSharp's library bind to it (by soname) rather than to a system LibTorch such as Debian's.
/// </remarks>
internal static class NativeTorch
{
    private static readonly string Rid =
        (OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux") + "-"
        + RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

    private static readonly (string Torch, string TorchSharp) FileNames =
        OperatingSystem.IsWindows() ? ("torch.dll", "LibTorchSharp.dll")
        : OperatingSystem.IsMacOS() ? ("libtorch.dylib", "libLibTorchSharp.dylib")
        : ("libtorch.so", "libLibTorchSharp.so");

    /// <summary>Loads both libraries; returns TorchSharp's as loaded (a patched copy when libstdc++ is too old).</summary>
    public static LoadableLibrary Load()
    {
        (string torch, string torchSharp) = Locate();
        NativeLibrary.Load(torch);
        LoadableLibrary loadable = LibstdcxxCompatibility.MakeLoadable(torchSharp);
        NativeLibrary.Load(loadable.Path);
        return loadable;
    }

    private static (string Torch, string TorchSharp) Locate()
    {
        string output = Path.Combine(FolderOf(typeof(NativeTorch).Assembly), "runtimes", Rid, "native");
        (string Torch, string TorchSharp) fromOutput = (Path.Combine(output, FileNames.Torch), Path.Combine(output, FileNames.TorchSharp));
        if (File.Exists(fromOutput.Torch) && File.Exists(fromOutput.TorchSharp)) return fromOutput;

        // TorchSharp.dll sits in PACKAGES/torchsharp/VERSION/lib/TFM/; typeof does not run its static constructor, which
        // would load the native library before we could choose which one.
        string torchSharpPackage = Path.GetFullPath(Path.Combine(FolderOf(typeof(torch).Assembly), "..", ".."));
        string packages = Path.GetFullPath(Path.Combine(torchSharpPackage, "..", ".."));
        string nuspec = Path.Combine(packages, "torchsharp-cpu", Path.GetFileName(torchSharpPackage), "torchsharp-cpu.nuspec");
        string libTorchVersion = LibTorchVersion(nuspec) ?? "(version unknown)";
        (string Torch, string TorchSharp) fromPackages = (
            Path.Combine(packages, $"libtorch-cpu-{Rid}", libTorchVersion, "runtimes", Rid, "native", FileNames.Torch),
            Path.Combine(torchSharpPackage, "runtimes", Rid, "native", FileNames.TorchSharp));
        if (File.Exists(fromPackages.Torch) && File.Exists(fromPackages.TorchSharp)) return fromPackages;

        throw new FileNotFoundException(
            $"LibTorch and TorchSharp's native library were not found for {Rid}. Looked in the build output " +
            $"({fromOutput.Torch}, {fromOutput.TorchSharp}) and in the NuGet packages ({fromPackages.Torch}, {fromPackages.TorchSharp}). " +
            "Referencing the DLL by path: build it first (dotnet build Distill.slnx). Referencing the package: add " +
            "#r \"nuget: TorchSharp-cpu, VERSION\" beside #r \"nuget: Distill.Lib, VERSION\" (the library depends on TorchSharp " +
            "only; the runtime package brings LibTorch, which TorchSharp ships for linux-x64, win-x64 and osx-arm64 only).");
    }

    /// <summary>The libtorch-cpu version that TorchSharp-cpu's nuspec depends on, or null if the nuspec is absent.</summary>
    private static string? LibTorchVersion(string nuspec)
    {
        if (!File.Exists(nuspec)) return null;
        string? version = XDocument.Load(nuspec).Descendants()
            .Where(e => e.Name.LocalName == "dependency")
            .FirstOrDefault(e => string.Equals((string?)e.Attribute("id"), "libtorch-cpu", StringComparison.OrdinalIgnoreCase))
            ?.Attribute("version")?.Value;
        // A range such as "[2.10.0]" or "[2.10.0, )": NuGet restores its lower bound; folder names are lower-case.
        return version?.Trim('[', '(', ')', ']').Split(',')[0].Trim().ToLowerInvariant();
    }

    private static string FolderOf(Assembly assembly)
        => Path.GetDirectoryName(assembly.Location) is { Length: > 0 } folder
            ? folder
            : throw new InvalidOperationException($"Cannot tell where {assembly.GetName().Name} was loaded from.");
}
