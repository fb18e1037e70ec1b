using System.Reflection;
using System.Text.RegularExpressions;
using Distill.Runtime;
using Distill.Tests.Notebooks;

namespace Distill.Tests.Architecture;

/// <summary>The library's namespaces are layers (README, "Layout"); a layer may use itself and the layers before it, never
/// one after it.</summary>
public partial class LayerDependencyTests
{
    /// <summary>The layers in order, as README's "Layout" lists them: <c>Distill.Losses.Crd</c> is in the layer <c>Losses</c>.</summary>
    public static readonly IReadOnlyList<string> Layers =
        ["Runtime", "Data", "Metrics", "Models", "Anomaly", "Interop", "Losses", "Distillation", "Training", "Experiments", "Charts", "Notebooks"];

    [Fact]
    public void ReadmeListsTheSameLayers()
        => Assert.Contains(string.Join(" → ", Layers), File.ReadAllText(Path.Combine(NotebookRunner.RepositoryRoot, "README.md")));

    [Fact]
    public void NoLibraryFileUsesALaterLayer()
    {
        var files = Directory.GetFiles(Path.Combine(NotebookRunner.RepositoryRoot, "lib"), "*.cs", SearchOption.AllDirectories);
        Assert.True(files.Length > 100, $"expected the library's sources under lib/, found {files.Length} files");
        var backEdges = files.Order().SelectMany(BackEdges).ToArray();
        Assert.True(backEdges.Length == 0, "A layer uses a later one (README, \"Layout\": move the type down, or the user up):\n"
                                           + string.Join("\n", backEdges));
    }

    [Fact]
    public void NoLibraryTypeSignatureUsesALaterLayer()
    {
        var backEdges = typeof(DistillDevice).Assembly.GetTypes()
            .Where(type => type.Namespace?.StartsWith("Distill.", StringComparison.Ordinal) == true)
            .SelectMany(type => SignatureTypes(type).Select(used => (type, used)))
            .Where(edge => Rank(LayerOf(edge.used.Namespace!)) > Rank(LayerOf(edge.type.Namespace!)))
            .Select(edge => $"{edge.type.FullName} ({LayerOf(edge.type.Namespace!)}) -> {edge.used.FullName} ({LayerOf(edge.used.Namespace!)})")
            .Distinct()
            .Order()
            .ToArray();
        Assert.True(backEdges.Length == 0, "A type's signature uses a later layer:\n" + string.Join("\n", backEdges));
    }

    [Fact]
    public void EveryLibraryNamespaceIsInALayer()
    {
        var unplaced = typeof(DistillDevice).Assembly.GetTypes()
            .Where(type => type.FullName?.StartsWith('<') != true) // compiler-generated
            .Where(type => type.Namespace is not { } ns || !Layers.Contains(LayerOf(ns)))
            .Where(type => type.Namespace?.StartsWith("Microsoft.", StringComparison.Ordinal) != true
                           && type.Namespace?.StartsWith("System.", StringComparison.Ordinal) != true)
            .Select(type => type.FullName)
            .Order()
            .ToArray();
        Assert.True(unplaced.Length == 0, $"Types outside the layers [{string.Join(", ", Layers)}]: {string.Join(", ", unplaced)}; "
                                          + "put each in a layer and add new layers to README's \"Layout\" and to this test.");
    }

    /// <summary>The test's own reading of a file, checked on text whose answer is known.</summary>
    [Fact]
    public void ReadsUsingsFullNamesAndCrefsButNotProse()
    {
        const string source = """
            using Distill.Training;
            using static Distill.Charts.Table;
            using Distill.Losses;
            namespace Distill.Losses.Crd;
            /// <summary>Built by <see cref="Distill.Experiments.Run"/>; see Distill.Notebooks for prose.</summary>
            public sealed class X { object y = Distill.Distillation.Distiller.Create(); } // Distill.Notebooks.Z
            string message = "build Distill.slnx, then Distill.Lib.csproj";
            """;
        var edges = BackEdges("lib/Losses/Crd/X.cs", source.Split('\n')).ToArray();
        Assert.Equal(4, edges.Length);
        Assert.Contains("lib/Losses/Crd/X.cs:1: Losses -> Training (Distill.Training)", edges);
        Assert.Contains("lib/Losses/Crd/X.cs:2: Losses -> Charts (Distill.Charts.Table)", edges);
        Assert.Contains("lib/Losses/Crd/X.cs:5: Losses -> Experiments (Distill.Experiments.Run)", edges);
        Assert.Contains("lib/Losses/Crd/X.cs:6: Losses -> Distillation (Distill.Distillation.Distiller.Create)", edges);
        var error = Assert.Throws<InvalidOperationException>(() => BackEdges("lib/X.cs", ["public class X { }"]).ToArray());
        Assert.Contains("no 'namespace Distill.", error.Message);
    }

    private static IEnumerable<string> BackEdges(string path)
        => BackEdges(Path.GetRelativePath(NotebookRunner.RepositoryRoot, path), File.ReadAllLines(path));

    private static IEnumerable<string> BackEdges(string file, IReadOnlyList<string> lines)
    {
        string ns = lines.Select(line => NamespaceLine().Match(line)).FirstOrDefault(m => m.Success)?.Groups[1].Value
                    ?? throw new InvalidOperationException($"{file} has no 'namespace Distill.<Layer>...;' line: every library file belongs to a layer.");
        string layer = LayerOf(ns);
        for (int i = 0; i < lines.Count; i++)
        {
            if (NamespaceLine().IsMatch(lines[i])) continue;
            foreach (string name in ReferencedNames(lines[i]))
                if (Layers.Contains(LayerOf(name)) && Rank(LayerOf(name)) > Rank(layer))
                    yield return $"{file}:{i + 1}: {layer} -> {LayerOf(name)} ({name})";
        }
    }

    // Code and cref attributes, not the prose of comments: a comment that names a later layer is no dependency. Names whose
    // second part is no layer ("Distill.Lib.csproj" in a message) are not namespaces.
    private static IEnumerable<string> ReferencedNames(string line)
    {
        int comment = line.IndexOf("//", StringComparison.Ordinal);
        string code = comment < 0 ? line : line[..comment];
        var crefs = comment < 0 ? [] : Cref().Matches(line[comment..]).Select(m => m.Groups[1].Value);
        return FullName().Matches(code).Select(m => m.Value).Concat(crefs.SelectMany(c => FullName().Matches(c).Select(m => m.Value)));
    }

    private static string LayerOf(string name) => name.Split('.') is [_, var layer, ..] ? layer : name;

    // A namespace outside the layers ranks last (a signature using it fails); EveryLibraryNamespaceIsInALayer names it.
    private static int Rank(string layer) => Layers.Contains(layer) ? Layers.ToList().IndexOf(layer) : Layers.Count;

    private static IEnumerable<Type> SignatureTypes(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var direct = new List<Type?> { type.BaseType };
        direct.AddRange(type.GetInterfaces());
        direct.AddRange(type.GetFields(all).Select(f => f.FieldType));
        direct.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            direct.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info) direct.Add(info.ReturnType);
        }
        return direct.OfType<Type>().SelectMany(Flatten).Where(t => t.Namespace?.StartsWith("Distill.", StringComparison.Ordinal) == true);
    }

    private static IEnumerable<Type> Flatten(Type type)
    {
        if (type.HasElementType) return Flatten(type.GetElementType()!);
        if (type.IsGenericParameter) return [];
        return type.IsGenericType ? type.GetGenericArguments().SelectMany(Flatten).Prepend(type) : [type];
    }

    [GeneratedRegex(@"^\s*namespace\s+(Distill(?:\.\w+)+)\s*[;{]?")]
    private static partial Regex NamespaceLine();

    [GeneratedRegex(@"(?<![\w.])Distill(?:\.\w+)+")]
    private static partial Regex FullName();

    [GeneratedRegex("cref=\"([^\"]+)\"")]
    private static partial Regex Cref();
}
