namespace Distill.Tests.Packaging;

/// <summary>A console project outside the repository builds against the package and runs TorchSharp on the embedded data.</summary>
/// <remarks>
/// On a fresh NuGet folder (<see cref="PackedLibrary.FreshNuGetFolder"/>) only the package's buildTransitive targets can
/// fix TorchSharp's native library on Debian 12 (GLIBCXX_3.4.32, see environment.md); the data comes through the package's
/// contentFiles. About 25 s.
/// </remarks>
[Collection(PackedLibraryCollection.Name)]
public class PackageInProjectTests(PackedLibrary packed)
{
    [Fact]
    public void ConsoleProjectReferencingThePackageRunsTorchSharpOnTheEmbeddedData()
    {
        string packages = packed.FreshNuGetFolder("project-packages");
        string project = Path.Combine(packed.Folder, "project");
        Directory.CreateDirectory(project);
        File.WriteAllText(Path.Combine(project, "UsesDistill.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Distill.Lib" Version="{packed.Version}" />
                <PackageReference Include="TorchSharp-cpu" Version="{PackedLibrary.TorchSharpVersion}" />
              </ItemGroup>
            </Project>
            """);
        // The user's cache is a valid folder feed: TorchSharp comes from it instead of nuget.org.
        File.WriteAllText(Path.Combine(project, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="distill" value="{packed.Feed}" />
                <add key="user-cache" value="{PackedLibrary.UserNuGetCache}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(project, "Program.cs"), """
            using Distill.Data;
            using Distill.Data.Tabular;
            using TorchSharp;
            var table = UciTables.BreastCancer();
            Console.WriteLine($"rows {table.Features.Length}, malignant {torch.tensor(table.Labels).sum().item<long>()}, data {ProjectData.Root}");
            """);

        var (exitCode, output) = PackedLibrary.Dotnet(project, new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages },
            "run", "-nodeReuse:false");

        Assert.True(exitCode == 0, $"dotnet run exited with {exitCode}:\n{output}");
        // 212 malignant tumours: the UCI documentation's count, summed by LibTorch.
        Assert.Contains($"rows 569, malignant 212, data {Path.Combine(project, "bin", "Debug", "net10.0", "data")}", output);
    }
}
