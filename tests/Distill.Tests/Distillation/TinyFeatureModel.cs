using Distill.Models;
using Distill.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Tests.Distillation;

/// <summary>Test-only network: Linear → BatchNorm → ReLU → Linear, exposing the hidden block as its one feature.</summary>
internal sealed class TinyFeatureModel : nn.Module<Tensor, Tensor>, IFeatureModel
{
    private readonly Linear hidden;
    private readonly BatchNorm1d norm;
    private readonly Linear head;

    public TinyFeatureModel(long inputs, long width, long classes) : base(nameof(TinyFeatureModel))
    {
        hidden = nn.Linear(inputs, width);
        norm = nn.BatchNorm1d(width);
        head = nn.Linear(width, classes);
        RegisterComponents();
        this.to(DistillDevice.Current);
    }

    /// <summary>The BatchNorm layer, so tests can watch its running statistics.</summary>
    public BatchNorm1d Norm => norm;

    /// <summary>The output layer, so a test loss can share it.</summary>
    public Linear Head => head;

    public FeatureOutput ForwardFeatures(Tensor input)
    {
        var pre = norm.forward(hidden.forward(input));      // [B, W]
        var feature = nn.functional.relu(pre);              // [B, W]
        return new FeatureOutput(head.forward(feature), [feature], [pre]);
    }

    public override Tensor forward(Tensor input) => ForwardFeatures(input).Output;
}
