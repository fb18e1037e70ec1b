using static TorchSharp.torch;

namespace Distill.Distillation;

/// <summary>What one distillation step computed: the total to back-propagate and every named, unweighted term.</summary>
/// <param name="Total">The scalar <c>task + Σ weight · term</c>; call <c>backward()</c> on it.</param>
/// <param name="Terms">The unweighted scalar terms by name: <c>"task"</c> and each distillation loss's name.</param>
public sealed record DistillationStep(Tensor Total, IReadOnlyDictionary<string, Tensor> Terms)
{
    /// <summary>The terms as plain numbers, for histories, progress lines and charts.</summary>
    public IReadOnlyDictionary<string, double> Values()
        => Terms.ToDictionary(term => term.Key, term => term.Value.detach().cpu().to(ScalarType.Float64).item<double>());
}
