using Distill.Distillation;
using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Models;
using Distill.Tests.Reference;
using TorchSharp;
using static Distill.Tests.Losses.Feature.FeatureLossesBReference;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Feature;

public class ActivationBoundariesLossTests
{
    [Theory]
    [InlineData("vector", false)]
    [InlineData("vector", true)]
    [InlineData("sequence", false)]
    [InlineData("sequence", true)]
    public void ActivationBoundariesLossMatchesPyTorch(string name, bool single)
    {
        var reference = Case("ab", name);
        var (rel, abs) = Tolerances(single);
        var student = Tensor(reference.GetProperty("student"), requiresGrad: true, dtype: Dtype(single));
        var teacher = Tensor(reference.GetProperty("teacher"), requiresGrad: true, dtype: Dtype(single));
        var loss = new ActivationBoundariesLoss(LayerPair.Last, (int)student.shape[1], (int)teacher.shape[1]);
        loss.to(Dtype(single));
        LoadParameters(loss, reference.GetProperty("parameters"));
        loss.train();  // the connector's batch norm uses batch statistics, as in the reference

        var value = loss.Compute(Context(student, teacher));
        value.backward();

        Tolerance.AssertClose(reference.GetProperty("loss").GetDouble(), value.to(ScalarType.Float64).item<double>(), rel, abs, what: "ab loss");
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("gradStudent")), Values(student.grad!), rel, abs, what: "ab dL/dstudent");
        var weight = loss.named_parameters().Single(p => p.name == "connector.conv.weight").parameter;
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("gradParameterValues")), Values(weight.grad!), rel, abs, what: "ab dL/dconnector");
        AssertNonZeroGradient(student.grad, "ab student feature");
        Assert.Null(teacher.grad);
    }

    [Fact]
    public void ActivationBoundariesLossReadsPreActivationsNotFeatures()
    {
        var (studentPre, teacherPre) = (RandomFeature(6, 3), RandomFeature(6, 3));
        var context = new DistillationContext(
            new FeatureOutput(zeros(6, 1), [RandomFeature(6, 3)], [studentPre]),
            new FeatureOutput(zeros(6, 1), [RandomFeature(6, 3)], [teacherPre]),
            zeros(6, ScalarType.Int64));
        var loss = new ActivationBoundariesLoss(LayerPair.Last, 3, 3);
        loss.eval();
        Assert.Equal(loss.Distance(studentPre, teacherPre).item<float>(), loss.Compute(context).item<float>());
    }

    [Fact]
    public void ActivationBoundariesLossIsZeroBeyondTheMarginOnTheTeachersSideAndPositiveOtherwise()
    {
        // An identity connector in eval mode (fresh running statistics: mean 0, variance 1) passes the student through.
        var loss = new ActivationBoundariesLoss(LayerPair.Last, 4, 4);
        using (no_grad())
            loss.named_parameters().Single(p => p.name == "connector.conv.weight").parameter.copy_(eye(4).unsqueeze(-1));
        loss.eval();
        var teacher = RandomFeature(8, 4, 3);
        var agreeing = 1.5f * teacher.sign();   // |r| > μ = 1 on the teacher's side of every boundary
        Assert.Equal(0f, loss.Compute(Context(agreeing, teacher)).item<float>());
        var disagreeing = -agreeing;              // every neuron on the wrong side: (1.5 + 1)² each
        // rel 1e-4: batch norm divides by sqrt(1 + 1e-5), so r is 1.5 · (1 − 5e-6), not exactly 1.5.
        Tolerance.AssertClose(4 * 3 * 2.5 * 2.5, loss.Compute(Context(disagreeing, teacher)).item<float>(), rel: 1e-4, what: "wrong side");
    }

    [Fact]
    public void ActivationBoundariesLossRejectsBadInputWithTheFix()
    {
        var loss = new ActivationBoundariesLoss(LayerPair.Last, 5, 7);
        var batch = Assert.Throws<ArgumentException>(() => loss.Compute(Context(RandomFeature(4, 5), RandomFeature(3, 7))));
        Assert.Contains("ab: student and teacher batch sizes differ (4 vs 3)", batch.Message);
        var channels = Assert.Throws<ArgumentException>(() => loss.Compute(Context(RandomFeature(4, 5), RandomFeature(4, 8))));
        Assert.Contains("8 channels but the loss was built for 7", channels.Message);
        var length = Assert.Throws<ArgumentException>(() => loss.Compute(Context(RandomFeature(4, 5, 3), RandomFeature(4, 7, 6))));
        Assert.Contains("length 3 differs from teacher length 6", length.Message);
        var rank = Assert.Throws<ArgumentException>(() => loss.Compute(Context(RandomFeature(4), RandomFeature(4, 7))));
        Assert.Contains("[B, C] or [B, C, L]", rank.Message);
        var nan = RandomFeature(4, 5);
        nan[0, 4] = tensor(float.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => loss.Compute(Context(nan, RandomFeature(4, 7)))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ActivationBoundariesLoss(LayerPair.Last, 5, 7, new(Margin: 0)));
    }
}
