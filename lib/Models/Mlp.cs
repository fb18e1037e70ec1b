using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Models;

/// <summary>The seed's "ANN": a multilayer perceptron of configurable widths that exposes every block's features.</summary>
/// <remarks>
/// Blocks are Linear, BatchNorm1d, LeakyReLU(0.2) with Xavier-normal weights and zero biases, as in the CRD
/// walkthrough the project started from. Unlike the seed, the classifier returns logits: a sigmoid (or softmax)
/// belongs in the loss, where it is numerically stable, and distillation needs logits (a softmax over the seed's
/// single sigmoid probability is identically 1, which made its KL term 0).
/// </remarks>
public sealed class Mlp : nn.Module<Tensor, Tensor>, IFeatureModel
{
    private readonly ModuleList<MlpBlock> blocks;
    private readonly Linear classifier;

    /// <summary>Creates an MLP on <paramref name="device"/>; <paramref name="widths"/> is <c>[inputs, hidden1, ..., hiddenK]</c>.</summary>
    /// <param name="widths">Input width followed by each hidden block's width (at least one hidden block).</param>
    /// <param name="outputs">Number of output logits: 1 for binary tasks, the class count otherwise.</param>
    /// <param name="name">Module name.</param>
    /// <param name="device">Where its parameters live; null keeps TorchSharp's default, the CPU. The application chooses (<see cref="Distill.Runtime.DistillDevice"/>).</param>
    public Mlp(IReadOnlyList<int> widths, int outputs = 1, string name = "mlp", Device? device = null) : base(name)
    {
        if (widths.Count < 2)
            throw new ArgumentException($"An MLP needs an input width and at least one hidden width; got [{string.Join(", ", widths)}].", nameof(widths));
        if (widths.Any(w => w < 1) || outputs < 1)
            throw new ArgumentException($"Widths [{string.Join(", ", widths)}] and outputs {outputs} must all be positive.", nameof(widths));
        Widths = widths.ToArray();
        blocks = new ModuleList<MlpBlock>(Enumerable.Range(0, widths.Count - 1)
            .Select(i => new MlpBlock(widths[i], widths[i + 1], $"block{i}")).ToArray());
        classifier = nn.Linear(widths[^1], outputs);
        RegisterComponents();
        using (no_grad())
        {
            nn.init.xavier_normal_(classifier.weight);
            nn.init.zeros_(classifier.bias);
        }
        if (device is not null) this.to(device);
    }

    /// <summary>Input width followed by the hidden widths.</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <summary>The hidden blocks, in depth order.</summary>
    public IReadOnlyList<MlpBlock> Blocks => blocks.ToList();

    /// <inheritdoc />
    public FeatureOutput ForwardFeatures(Tensor input)
    {
        if (input.dim() != 2 || input.shape[1] != Widths[0])
            throw new ArgumentException(
                $"{GetName()} expects input [batch, {Widths[0]}] but got [{string.Join(", ", input.shape)}]. " +
                "Check that the model reads the feature view it was built for.", nameof(input));
        var features = new List<Tensor>(blocks.Count);
        var preActivations = new List<Tensor>(blocks.Count);
        var x = input; // [B, widths[0]]
        foreach (var block in blocks)
        {
            (var pre, x) = block.call(x); // [B, width_i]
            preActivations.Add(pre);
            features.Add(x);
        }
        return new FeatureOutput(classifier.call(x), features, preActivations); // output [B, outputs]
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => ForwardFeatures(input).Output;
}
