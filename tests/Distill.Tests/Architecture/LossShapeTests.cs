using System.Reflection;
using Distill.Losses;
using Distill.Runtime;
using TorchSharp;

namespace Distill.Tests.Architecture;

/// <summary>A distillation loss has one shape: it derives from <see cref="DistillationLoss"/>, a TorchSharp module, whether
/// or not it has state, so that trainers treat every term alike.</summary>
public class LossShapeTests
{
    private static readonly Type[] LibraryTypes = typeof(DistillDevice).Assembly.GetTypes()
        .Where(type => type.FullName?.StartsWith('<') != true && type.Namespace?.StartsWith("Distill.", StringComparison.Ordinal) == true)
        .ToArray();

    [Fact]
    public void EveryTypeThatComputesALossFromAContextIsADistillationLoss()
    {
        var computing = LibraryTypes.Where(type => type is { IsClass: true, IsAbstract: false })
            .Where(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Any(m => m.Name == nameof(DistillationLoss.Compute) && m.GetParameters() is [{ ParameterType: var p }] && p == typeof(DistillationContext)))
            .ToArray();
        Assert.True(computing.Length >= 20, $"expected the library's losses, found {computing.Length}");
        var strays = computing.Where(type => !typeof(DistillationLoss).IsAssignableFrom(type)).Select(type => type.FullName).Order().ToArray();
        Assert.True(strays.Length == 0, "These compute a loss from a DistillationContext but do not derive from DistillationLoss: "
                                        + string.Join(", ", strays));
    }

    [Fact]
    public void NoLossHasAForwardOverTensorPairs()
    {
        // The pairwise distance of CC, AB, FT and VID is a named method (Distance); a forward would be a second entry point.
        var withForward = LibraryTypes.Where(type => typeof(DistillationLoss).IsAssignableFrom(type))
            .Where(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => m.Name == "forward"
                && m.GetParameters().Length == 2 && m.GetParameters().All(p => p.ParameterType == typeof(torch.Tensor))))
            .Select(type => type.FullName).Order().ToArray();
        Assert.True(withForward.Length == 0, "Losses with forward(Tensor, Tensor): " + string.Join(", ", withForward));
    }

    [Fact]
    public void NoInterfaceOfTheLibraryDeclaresCompute()
    {
        var interfaces = LibraryTypes.Where(type => type.IsInterface && type.GetMethod(nameof(DistillationLoss.Compute)) is not null)
            .Select(type => type.FullName).ToArray();
        Assert.True(interfaces.Length == 0, "A second loss shape: " + string.Join(", ", interfaces));
    }

    [Fact]
    public void StatelessLossesAreModulesWithEmptyState()
    {
        DistillationLoss[] stateless = [new KnowledgeDistillationLoss(), new BinaryKnowledgeDistillationLoss(), new DecoupledKnowledgeDistillationLoss(),
                                        new BinaryAsTwoClassLoss(new DecoupledKnowledgeDistillationLoss())];
        foreach (var loss in stateless)
        {
            Assert.IsAssignableFrom<torch.nn.Module>(loss);
            Assert.Empty(loss.state_dict());
            Assert.Empty(loss.parameters());
        }
    }
}
