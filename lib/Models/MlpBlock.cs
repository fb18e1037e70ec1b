using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Models;

/// <summary>One hidden block of the <see cref="Mlp"/>: Linear, BatchNorm1d, LeakyReLU(0.2).</summary>
/// <remarks>Returns the normalised pre-activation as well as the activation, so the Overhaul of feature
/// distillation (pre-ReLU position) and activation-boundary losses can read it from the same pass.</remarks>
public sealed class MlpBlock : nn.Module<Tensor, (Tensor PreActivation, Tensor Activation)>
{
    private readonly Linear linear;
    private readonly BatchNorm1d norm;
    private readonly LeakyReLU activation;

    /// <summary>Creates a block mapping <paramref name="inputs"/> to <paramref name="outputs"/> features.</summary>
    public MlpBlock(int inputs, int outputs, string name) : base(name)
    {
        linear = nn.Linear(inputs, outputs);
        norm = nn.BatchNorm1d(outputs);
        activation = nn.LeakyReLU(0.2);
        RegisterComponents();
        using (no_grad())
        {
            nn.init.xavier_normal_(linear.weight);
            nn.init.zeros_(linear.bias);
        }
    }

    /// <summary>The block's BatchNorm, whose statistics the Overhaul distillation turns into margins.</summary>
    public BatchNorm1d Norm => norm;

    /// <inheritdoc />
    public override (Tensor PreActivation, Tensor Activation) forward(Tensor input)
    {
        var pre = norm.call(linear.call(input)); // [B, outputs]
        return (pre, activation.call(pre));
    }
}
