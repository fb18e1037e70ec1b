using System.Reflection;
using Distill.Runtime;

namespace Distill.Notebooks;

/// <summary>Everything a notebook kernel needs before Distill runs, in one call from the first cell.</summary>
/// <remarks>
/// Three problems of the Polyglot Notebooks kernel are fixed here so that no cell has to know about them:
/// <list type="number">
/// <item>The kernel does not read a dependency manifest for a DLL referenced by path, so TorchSharp cannot find LibTorch
/// by name (it reports "doesn't contain a reference to libtorch-cpu"), and if a system LibTorch exists (Debian's
/// python3-torch installs one) it may load that one instead. LibTorch and TorchSharp's native library are therefore
/// loaded by full path, from the build output of a DLL referenced by path or from the NuGet packages of a package
/// referenced with <c>#r "nuget: Distill.Lib"</c> (<see cref="NativeTorch"/>). Where the system's libstdc++ is older than
/// TorchSharp's library asks (Debian 12), a patched copy is loaded (<see cref="LibstdcxxCompatibility"/>): the kernel
/// runs no build targets of a package, so the build-time fix never reaches a package restored by a notebook.</item>
/// <item>Plotly.NET 6 is compiled against FSharp.Core 10.1, while the kernel has already loaded FSharp.Core 10.0 and
/// F# libraries bound to it (Giraffe.ViewEngine, which Plotly.NET also uses). A second FSharp.Core would split F#
/// types between two copies (MissingMethodException), so the build leaves FSharp.Core.dll and the deps.json out of
/// Distill.Lib's folder and requests for FSharp.Core are answered here with the kernel's copy.</item>
/// <item>Plotly.NET.Interactive would load a second Plotly.NET into the kernel, and its charts fetch plotly.js from a CDN;
/// instead an HTML formatter is registered for the library's own Plotly.NET (<see cref="NotebookFormatters"/>), and the
/// returned summary's output carries plotly.js for every chart of the notebook, offline (<see cref="PlotlyHtml"/>). Do
/// not add <c>#r "nuget: Plotly.NET.Interactive"</c> to notebooks that use Distill's charts.</item>
/// </list>
/// </remarks>
public static class NotebookEnvironment
{
    // Null until the native libraries are loaded; then empty, or what the GLIBCXX fix did.
    private static string? nativeNote;

    /// <summary>Loads the native libraries, unifies FSharp.Core, registers the chart formatter, seeds randomness.</summary>
    /// <param name="seed">Seed for torch and managed randomness.</param>
    /// <returns>A one-line summary (device, profile, seed, and the patched copy loaded if the GLIBCXX fix was needed);
    /// shown as the cell's output, it also loads plotly.js for the notebook's charts (<see cref="SetupSummary"/>).</returns>
    public static SetupSummary Setup(int seed = 0)
    {
        if (nativeNote is null)
        {
            AppDomain.CurrentDomain.AssemblyResolve += ServeLoadedFSharpCore;
            LoadableLibrary torchSharp = NativeTorch.Load();
            NotebookFormatters.Register();
            nativeNote = torchSharp.WeakenedVersions.Count == 0 ? ""
                : $" TorchSharp's native library needs {string.Join(", ", torchSharp.WeakenedVersions)}, which this system's " +
                  $"libstdc++ lacks: loaded a copy with that requirement marked weak ({torchSharp.Path}; see environment.md).";
        }
        Reproducibility.Seed(seed);
        return new SetupSummary(
            $"Distill ready: device {DistillDevice.Current.type}, profile '{RunProfile.Current.Name}', seed {seed}.{nativeNote}");
    }

    private static Assembly? ServeLoadedFSharpCore(object? sender, ResolveEventArgs args)
        => new AssemblyName(args.Name).Name == "FSharp.Core"
            ? AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core")
            : null;
}
