using Distill.Models;

namespace Distill.Interop;

/// <summary>Documented key mappings between Distill's models and the PyTorch reference code they mirror.</summary>
public static class PyTorchLayouts
{
    /// <summary>The "ANN" of the CRD walkthrough (the project's seed) for an <see cref="Mlp"/> of the same widths.</summary>
    /// <remarks>
    /// The walkthrough's model is <c>Layer_List = ModuleList(Layer(...))</c>, each <c>Layer</c> holding
    /// <c>linear = Sequential(Linear, BatchNorm1d, LeakyReLU(0.2))</c>, and <c>classifier = Sequential(Linear, Sigmoid)</c>.
    /// The mapping, for block <c>i</c>:
    /// <code>
    /// blocks.i.linear.{weight,bias}                                    -> Layer_List.i.linear.0.{weight,bias}
    /// blocks.i.norm.{weight,bias,running_mean,running_var,num_batches_tracked} -> Layer_List.i.linear.1.{...}
    /// classifier.{weight,bias}                                         -> classifier.0.{weight,bias}
    /// </code>
    /// The walkthrough's Sigmoid has no parameters: a PyTorch model loading our file keeps it and outputs
    /// probabilities where our <see cref="Mlp"/> outputs logits.
    /// </remarks>
    public static StateDictLayout CrdWalkthroughAnn(Mlp mlp)
        => new("CRD walkthrough ANN", mlp.state_dict().Keys.Select(key => (key, SeedKey(key))));

    private static string SeedKey(string key)
    {
        string[] parts = key.Split('.');
        return parts switch
        {
            ["blocks", var i, "linear", var tensor] => $"Layer_List.{i}.linear.0.{tensor}",
            ["blocks", var i, "norm", var tensor] => $"Layer_List.{i}.linear.1.{tensor}",
            ["classifier", var tensor] => $"classifier.0.{tensor}",
            _ => throw new InvalidOperationException($"The CRD walkthrough layout has no rule for the Mlp key '{key}'."),
        };
    }
}
