using System.IO.Compression;
using System.Xml.Linq;

namespace Distill.Tests.Packaging;

/// <summary>The package carries what a user outside the repository needs: docs, licence, data with its sources.</summary>
[Collection(PackedLibraryCollection.Name)]
public class PackageContentTests(PackedLibrary packed)
{
    [Fact]
    public void PackageHoldsReadmeLicenceXmlDocsAndDataWithItsReadme()
    {
        using var package = ZipFile.OpenRead(packed.Package);
        var entries = package.Entries.Select(e => e.FullName).ToHashSet();
        foreach (string expected in new[]
                 {
                     "README.md", "LICENSE", "lib/net10.0/Distill.Lib.dll", "lib/net10.0/Distill.Lib.xml",
                     // Beside the DLL, where ProjectData looks when a kernel loads the DLL from the package folder.
                     "lib/net10.0/data/README.md", "lib/net10.0/data/uci/breast_cancer.csv", "lib/net10.0/data/mitdb/100.dat",
                     "lib/net10.0/data/mitdb/README.md", "lib/net10.0/data/beatgan-demo/README.md",
                     // Copied to the output of projects that reference the package.
                     "contentFiles/any/any/data/README.md", "contentFiles/any/any/data/uci/breast_cancer.csv",
                 })
            Assert.True(entries.Contains(expected), $"{expected} is missing from {packed.Package}:\n{string.Join("\n", entries.Order())}");
        Assert.DoesNotContain(entries, e => Path.GetFileName(e) == ".gitattributes");

        string docs = ReadEntry(package, "lib/net10.0/Distill.Lib.xml");
        Assert.Contains("M:Distill.Notebooks.NotebookEnvironment.Setup(System.Int32)", docs);
        Assert.Contains("Breast Cancer", ReadEntry(package, "lib/net10.0/data/README.md"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void NuspecNamesReadmeLicenceAndOnlyTheRuntimeDependencies()
    {
        using var package = ZipFile.OpenRead(packed.Package);
        var metadata = XDocument.Parse(ReadEntry(package, "Distill.Lib.nuspec")).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string Value(string name) => metadata.Elements().Single(e => e.Name.LocalName == name).Value;

        Assert.Equal(packed.Version, Value("version"));
        Assert.Equal("README.md", Value("readme"));
        Assert.Equal("MIT", Value("license"));
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => (string)e.Attribute("id")!).ToHashSet();
        Assert.Contains("TorchSharp", dependencies);
        // No runtime package: the application chooses LibTorch's (TorchSharp-cpu, TorchSharp-cuda-linux, ...).
        Assert.DoesNotContain(dependencies, id => id.StartsWith("TorchSharp-", StringComparison.OrdinalIgnoreCase)
                                                  || id.StartsWith("libtorch", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("Plotly.NET", dependencies);
        // The kernel brings its own formatter: a package copy would be a second, incompatible one.
        Assert.DoesNotContain("Microsoft.DotNet.Interactive.Formatting", dependencies);
    }

    private static string ReadEntry(ZipArchive package, string name)
    {
        using var reader = new StreamReader(package.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }
}
