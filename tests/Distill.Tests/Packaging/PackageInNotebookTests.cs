using System.Text.Json;
using Distill.Notebooks;
using Distill.Tests.Notebooks;

namespace Distill.Tests.Packaging;

/// <summary>A notebook outside the repository uses the packed library as README.md tells a user to, on a fresh NuGet folder.</summary>
/// <remarks>
/// The kernel restores into a fresh NuGet packages folder (<see cref="PackedLibrary.FreshNuGetFolder"/>), so TorchSharp's
/// native library arrives pristine, without the build's GLIBCXX fix, as on a machine that never built this repository.
/// About 20 s.
/// </remarks>
[Collection(PackedLibraryCollection.Name)]
public class PackageInNotebookTests(PackedLibrary packed)
{
    [Fact]
    public void NotebookReferencingThePackageTrainsAModelAndShowsAChart()
    {
        string packages = packed.FreshNuGetFolder("notebook-packages");
        string notebookFolder = Path.Combine(packed.Folder, "notebook");
        Directory.CreateDirectory(Path.Combine(notebookFolder, ".config"));
        // The user's own tool manifest: dotnet-repl and the kernel, at the versions the repository pins.
        File.Copy(Path.Combine(NotebookRunner.RepositoryRoot, ".config", "dotnet-tools.json"),
                  Path.Combine(notebookFolder, ".config", "dotnet-tools.json"));
        string notebook = Path.Combine(notebookFolder, "uses-distill.dib");
        File.WriteAllText(notebook, Notebook(packed.Feed, PackedLibrary.UserNuGetCache, packed.Version));

        string executed = Path.ChangeExtension(notebook, ".ipynb");
        var (exitCode, log) = PackedLibrary.Dotnet(notebookFolder,
            new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages, ["DISTILL_PROFILE"] = "quick" },
            "repl", "--run", notebook, "--exit-after-run", "--output-format", "ipynb", "--output-path", executed);

        Assert.True(File.Exists(executed), $"dotnet repl wrote no notebook (exit {exitCode}):\n{log}");
        var errors = NotebookRunner.CellErrors(executed);
        Assert.True(errors.Count == 0, $"cell errors:\n{string.Join("\n", errors)}\n{log}");
        Assert.True(exitCode == 0, $"dotnet repl exited with {exitCode}:\n{log}");

        string[] outputs = CellOutputs(executed);
        Assert.Contains(outputs, o => o.Contains("Distill ready"));
        // The library, its data and TorchSharp come from the kernel's fresh NuGet folder, not from the repository.
        Assert.Contains(outputs, o => o.Contains($"data root: {Path.Combine(packages, "distill.lib", packed.Version.ToLowerInvariant(), "lib", "net10.0", "data")}"));
        Assert.Contains(outputs, o => o.Contains("malignant in training split: ") && !o.Contains("malignant in training split: 0"));
        // Where libstdc++ is too old for the pristine TorchSharp (Debian 12), Setup must have loaded a patched copy.
        if (LibstdcxxCompatibility.FindSystemLibstdcxx() is { } libstdcxx
            && !File.ReadAllText(libstdcxx, System.Text.Encoding.Latin1).Contains("GLIBCXX_3.4.32\0"))
            Assert.Contains(outputs, o => o.Contains("GLIBCXX_3.4.32") && o.Contains("marked weak"));
        // The chart formatter is registered: the chart is HTML that draws with Plotly, not a type name.
        Assert.Contains(outputs, o => o.Contains("Plotly.newPlot") || o.Contains("renderPlotly"));
    }

    private static string Notebook(string feed, string userCache, string version) =>
        "#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"aliases\":[],\"name\":\"csharp\"}]}}\n\n" +
        "#!csharp\n\n" +
        $"#i \"nuget: {feed}\"\n" +
        // The user's cache is a valid folder feed: TorchSharp comes from it instead of nuget.org.
        $"#i \"nuget: {userCache}\"\n" +
        $"#r \"nuget: TorchSharp-cpu, {PackedLibrary.TorchSharpVersion}\"\n" +
        $"#r \"nuget: Distill.Lib, {version}\"\n" +
        "using Distill.Charts;\nusing Distill.Data;\nusing Distill.Data.Tabular;\nusing Distill.Models;\nusing Distill.Notebooks;\nusing Distill.Training;\n" +
        "NotebookEnvironment.Setup(seed: 0)\n\n" +
        "#!csharp\n\n" +
        "var data = TeacherStudentData.BreastCancer(seed: 0);\n" +
        "var teacher = new Mlp([30, 16], outputs: 1, name: \"teacher\");\n" +
        "var objective = new ClassifierObjective(teacher, ClassificationTask.For(2), InputView.Teacher);\n" +
        "var result = new SupervisedTrainer(new TrainingOptions(Epochs: 2, BatchSize: 64, LearningRate: 1e-3))\n" +
        "    .Fit(objective, data.Train, data.Validation, seed: 0);\n" +
        "$\"data root: {ProjectData.Root}; malignant in training split: {data.Train.Labels().Sum()}\"\n\n" +
        "#!csharp\n\n" +
        "TrainingCharts.Loss(result.History, \"Teacher loss\")\n";

    /// <summary>Every text and HTML output of an executed .ipynb, one string per output.</summary>
    private static string[] CellOutputs(string ipynbPath)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(ipynbPath));
        return document.RootElement.GetProperty("cells").EnumerateArray()
            .SelectMany(cell => cell.TryGetProperty("outputs", out var outputs) ? outputs.EnumerateArray().ToArray() : [])
            .Where(output => output.TryGetProperty("data", out _))
            .SelectMany(output => output.GetProperty("data").EnumerateObject())
            .Select(mime => mime.Value.ValueKind == JsonValueKind.Array
                ? string.Concat(mime.Value.EnumerateArray().Select(line => line.GetString()))
                : mime.Value.ToString())
            .ToArray();
    }
}
