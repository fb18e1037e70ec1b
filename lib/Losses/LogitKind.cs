namespace Distill.Losses;

/// <summary>What a network's output logits mean, and so how <see cref="NegativeSoftTargetCrossEntropyLoss"/> turns them
/// into class probabilities.</summary>
public enum LogitKind
{
    /// <summary>One logit per class, <c>[B, C]</c> with <c>C ≥ 2</c>; probabilities are <c>softmax(z / T)</c>.</summary>
    Multiclass,

    /// <summary>
    /// One logit per example, <c>[B]</c> or <c>[B, 1]</c>, read as <c>p = sigmoid(z)</c>; probabilities are the
    /// two-class softmax of <c>[0, z / T]</c>, that is <c>[1 - sigmoid(z / T), sigmoid(z / T)]</c> (<see cref="BinaryLogit"/>).
    /// </summary>
    BinarySingleLogit,
}
