using Distill.Losses;
using Distill.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;
using static Distill.Tests.Losses.Logit.LogitCases;

namespace Distill.Tests.Losses.Logit;

/// <summary>The one place a single binary logit becomes two classes: <c>[0, z]</c>, class 1 the positive label.</summary>
public class BinaryLogitTests
{
    [Fact]
    public void TheLabelsColumnHoldsTheLabelsProbability()
    {
        // DKD masks the target class with one_hot(label): for label 1 that column must hold sigmoid(z), the probability of
        // the positive class, and for label 0 it must hold 1 - sigmoid(z). Padding [z, 0] would swap them. (DKD's value
        // itself cannot tell: with two classes both its KL terms are symmetric in the column order.)
        var z = Random(31, 16, 1);
        var labels = tensor(Enumerable.Range(0, 16).Select(i => (long)(i % 2)).ToArray(), device: z.device);
        var isTarget = nn.functional.one_hot(labels, 2).to(z.dtype);                                  // [B, 2], as DKD builds it
        var labelProbability = (BinaryLogit.TwoClassLogits(z).softmax(1) * isTarget).sum(1);          // [B]
        var expected = where(labels == 1, sigmoid(z.reshape(-1)), 1 - sigmoid(z.reshape(-1)));
        Tolerance.AssertClose(Values(expected), Values(labelProbability), rel: 1e-12, abs: 1e-15, what: "probability of the label's column");
    }

    [Fact]
    public void TwoClassLogitsAreZeroThenTheLogit()
    {
        var z = Random(32, 5);
        var twoClass = BinaryLogit.TwoClassLogits(z);
        Assert.Equal([5L, 2L], twoClass.shape);
        Assert.All(Values(twoClass[.., 0]), v => Assert.Equal(0.0, v));
        Assert.Equal(Values(z), Values(twoClass[.., 1]));
        Assert.Equal(Values(twoClass), Values(BinaryLogit.TwoClassLogits(z.reshape(5, 1))));
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(4.0)]
    public void LogProbabilitiesAreTheLogSoftmaxOfTheTwoClassLogits(double temperature)
    {
        var z = Random(33, 16, 1);
        var fromLogSigmoid = BinaryLogit.TwoClassLogProbabilities(z, temperature);                     // [B, 2]
        var fromLogSoftmax = nn.functional.log_softmax(BinaryLogit.TwoClassLogits(z) / temperature, 1); // [B, 2]
        Tolerance.AssertClose(Values(fromLogSoftmax), Values(fromLogSigmoid), rel: 1e-12, abs: 1e-15, what: "log-sigmoid vs log-softmax columns");
    }

    [Fact]
    public void ConfidentLogitsGiveFiniteLogProbabilities()
    {
        var z = tensor(new[] { -200.0, 200.0 }, ScalarType.Float32);
        var logProbabilities = BinaryLogit.TwoClassLogProbabilities(z, 1.0);
        Assert.True(isfinite(logProbabilities).all().item<bool>(), "log-sigmoid should never give log 0");
    }

    [Fact]
    public void BernoulliKdIsBitIdenticalToTheFormerColumnOrder()
    {
        // The figures pinned elsewhere were computed with the columns [log sigmoid(z/T), log sigmoid(-z/T)]; the KL sums the
        // same two products in the other order, and a sum of two floats does not depend on the order.
        var (student, teacher) = (Random(34, 64, 1), Random(35, 64, 1));
        double t = 4.0;
        Tensor Former(Tensor logits) => stack([nn.functional.logsigmoid(logits.reshape(-1) / t), nn.functional.logsigmoid(-logits.reshape(-1) / t)], 1);
        var (ls, lt) = (Former(student), Former(teacher));
        double former = ((lt.exp() * (lt - ls)).sum(1).mean() * (t * t)).item<double>();
        double now = new BinaryKnowledgeDistillationLoss(t).Compute(Context(student, teacher)).item<double>();
        Assert.Equal(former, now);
    }

    [Theory]
    [InlineData(new long[] { 4, 2 })]
    [InlineData(new long[] { 4, 1, 1 })]
    public void RejectsOutputsThatAreNotOneLogitPerExample(long[] shape)
    {
        var error = Assert.Throws<ArgumentException>(() => BinaryLogit.Check(zeros(shape), "student", "probe"));
        Assert.Contains("probe: the student output must be one logit per example, [batch] or [batch, 1]", error.Message);
    }

    [Fact]
    public void RejectsIntegerLogits()
    {
        var error = Assert.Throws<ArgumentException>(() => BinaryLogit.Check(zeros(4, ScalarType.Int64), "teacher", "probe"));
        Assert.Contains("floating point", error.Message);
    }
}
