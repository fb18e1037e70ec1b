using Distill.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Tests.Models;

/// <summary>Test-only network as a user writes it, no Distill type: a Sequential of Linear, BatchNorm, ReLU, Linear, ReLU, Linear.</summary>
/// <remarks>Paths: <c>layers.0</c> .. <c>layers.5</c>; the hidden features are <c>layers.2</c> [B, hidden] and <c>layers.4</c>
/// [B, hidden2], the pre-activation of the first is <c>layers.1</c> (the BatchNorm).</remarks>
internal sealed class UserNet : nn.Module<Tensor, Tensor>
{
    private readonly Sequential layers;

    public UserNet(long inputs, long hidden, long hidden2, long outputs) : base(nameof(UserNet))
    {
        layers = nn.Sequential(nn.Linear(inputs, hidden), nn.BatchNorm1d(hidden), nn.ReLU(),
                               nn.Linear(hidden, hidden2), nn.ReLU(), nn.Linear(hidden2, outputs));
        RegisterComponents();
    }

    public static readonly string[] FeaturePaths = ["layers.2", "layers.4"];

    public override Tensor forward(Tensor input) => layers.call(input);
}

/// <summary>Runs its hidden layer with <c>forward</c> instead of <c>call</c>, so TorchSharp never fires a hook on it.</summary>
internal sealed class DirectForwardNet : nn.Module<Tensor, Tensor>
{
    private readonly Linear hidden;
    private readonly Linear head;

    public DirectForwardNet() : base(nameof(DirectForwardNet))
    {
        hidden = nn.Linear(4, 3);
        head = nn.Linear(3, 2);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => head.call(hidden.forward(input));
}

/// <summary>Applies one Linear layer twice in its forward pass.</summary>
internal sealed class SharedLayerNet : nn.Module<Tensor, Tensor>
{
    private readonly Linear shared;

    public SharedLayerNet() : base(nameof(SharedLayerNet))
    {
        shared = nn.Linear(4, 4);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => shared.call(nn.functional.relu(shared.call(input)));
}

/// <summary>Holds a block returning two tensors (the library's <see cref="MlpBlock"/>) and a ModuleList container.</summary>
internal sealed class TupleBlockNet : nn.Module<Tensor, Tensor>
{
    private readonly MlpBlock block;
    private readonly ModuleList<Linear> heads;

    public TupleBlockNet() : base(nameof(TupleBlockNet))
    {
        block = new MlpBlock(4, 3, "block");
        heads = nn.ModuleList(nn.Linear(3, 2));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => heads[0].call(block.call(input).Activation);
}
