using System.Diagnostics;
using System.Reflection;
using Distill.Tests.Notebooks;

namespace Distill.Tests.Packaging;

/// <summary>Distill.Lib packed once per test class into a temporary local feed outside the repository.</summary>
/// <remarks>
/// Packs with <c>--no-build</c> from the output that building the tests has just produced (same configuration), so the
/// running tests' binaries are never rebuilt under them; the nuspec goes to the temporary folder rather than obj/.
/// The version is unique per run so that no NuGet cache can serve an older package under the same version.
/// </remarks>
public sealed class PackedLibrary : IDisposable
{
    /// <summary>The temporary folder holding the feed and anything else a test needs outside the repository.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"distill-packaging-{Guid.NewGuid():N}");

    /// <summary>The local feed folder (what a notebook names in <c>#i "nuget: FOLDER"</c>).</summary>
    public string Feed => Path.Combine(Folder, "feed");

    /// <summary>The package version, unique to this run.</summary>
    public string Version { get; } = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";

    /// <summary>The TorchSharp version the repository pins (Directory.Packages.props): what a user of the package names for
    /// the runtime package (<c>TorchSharp-cpu</c>) beside it.</summary>
    public static string TorchSharpVersion { get; } =
        System.Xml.Linq.XDocument.Load(Path.Combine(NotebookRunner.RepositoryRoot, "Directory.Packages.props"))
            .Descendants("PackageVersion").Single(e => (string?)e.Attribute("Include") == "TorchSharp").Attribute("Version")!.Value;

    /// <summary>The .nupkg file.</summary>
    public string Package => Path.Combine(Feed, $"Distill.Lib.{Version}.nupkg");

    /// <summary>Packs the library; throws with dotnet's output when packing fails.</summary>
    public PackedLibrary()
    {
        string configuration = typeof(PackedLibrary).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
        string root = NotebookRunner.RepositoryRoot;
        string built = Path.Combine(root, "bin", configuration, "net10.0", "Distill.Lib.dll");
        if (!File.Exists(built))
            throw new FileNotFoundException($"{built} is missing: build the solution in {configuration} before running the packaging tests.", built);
        var (exitCode, output) = Dotnet(root, null, "pack", Path.Combine(root, "Distill.Lib.csproj"), "-c", configuration, "--no-build",
            "-o", Feed, $"-p:Version={Version}", $"-p:NuspecOutputPath={Path.Combine(Folder, "nuspec")}/", "-nodeReuse:false");
        if (exitCode != 0 || !File.Exists(Package))
            throw new InvalidOperationException($"dotnet pack failed (exit {exitCode}):\n{output}");
    }

    /// <summary>The user's NuGet packages folder (NUGET_PACKAGES, else ~/.nuget/packages); also a valid local feed.</summary>
    public static string UserNuGetCache { get; } = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } set
        ? set : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>A new NuGet packages folder, as on a machine that never built this repository, for NUGET_PACKAGES.</summary>
    /// <remarks>
    /// Nothing the repository's build did to the user's cache reaches it: TorchSharp (which the build patches, see
    /// environment.md) and Distill.Lib are restored into it afresh. Every other package of the user's cache is linked in
    /// rather than extracted again (LibTorch alone is 1.2 GB for three platforms), which keeps the tests fast and offline.
    /// </remarks>
    public string FreshNuGetFolder(string name)
    {
        string folder = Path.Combine(Folder, name);
        Directory.CreateDirectory(folder);
        foreach (string package in Directory.GetDirectories(UserNuGetCache))
            if (Path.GetFileName(package) is not ("torchsharp" or "distill.lib"))
                Directory.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(package)), package);
        return folder;
    }

    /// <summary>Runs <c>dotnet ARGS</c> in a folder, with optional extra environment variables; returns the exit code and output.</summary>
    public static (int ExitCode, string Output) Dotnet(string workingDirectory, IReadOnlyDictionary<string, string>? environment,
                                                       params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (string argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after 5 minutes: dotnet {string.Join(' ', arguments)}\n{stdout.Result}{stderr.Result}");
        }
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>Deletes the temporary folder.</summary>
    public void Dispose()
    {
        if (!Directory.Exists(Folder)) return;
        // Unlink first: the links of the fresh NuGet folders point into the user's cache.
        foreach (var link in new DirectoryInfo(Folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories).Where(i => i.LinkTarget is not null))
            link.Delete();
        Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>The packaging tests share one packed library and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class PackedLibraryCollection : ICollectionFixture<PackedLibrary>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Packed Distill.Lib";
}
