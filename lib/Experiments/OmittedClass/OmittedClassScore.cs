using static TorchSharp.torch;

namespace Distill.Experiments.OmittedClass;

/// <summary>Test errors of a classifier, overall and on the omitted class, counted as Hinton et al. report them
/// ("206 test errors of which 133 are on the 1010 threes").</summary>
/// <param name="Count">Test rows.</param>
/// <param name="Errors">Rows whose arg-max class is wrong.</param>
/// <param name="OmittedCount">Test rows of the omitted class.</param>
/// <param name="ErrorsOnOmitted">Wrong rows among those.</param>
public sealed record OmittedClassScore(long Count, long Errors, long OmittedCount, long ErrorsOnOmitted)
{
    /// <summary>Share of the test rows classified wrongly.</summary>
    public double ErrorRate => (double)Errors / Count;

    /// <summary>Share of the omitted class's test rows recognised (the paper's "98.6% of the test 3s correct").</summary>
    public double OmittedAccuracy => 1 - (double)ErrorsOnOmitted / OmittedCount;

    /// <summary>Counts the errors of <paramref name="logits"/> [N, C] against <paramref name="targets"/> [N].</summary>
    public static OmittedClassScore Of(Tensor logits, Tensor targets, int omittedClass)
    {
        using var scope = NewDisposeScope();
        var wrong = logits.argmax(1) != targets;                                             // [N]
        var omitted = targets == omittedClass;                                               // [N]
        long omittedCount = omitted.sum().item<long>();
        if (omittedCount == 0)
            throw new ArgumentException($"The test rows have no example of class {omittedClass}: its accuracy is undefined.");
        return new OmittedClassScore(targets.shape[0], wrong.sum().item<long>(), omittedCount,
                                     (wrong & omitted).sum().item<long>());
    }
}
