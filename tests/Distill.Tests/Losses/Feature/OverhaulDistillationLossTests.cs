using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Runtime;
using Distill.Tests.Reference;
using TorchSharp;
using static Distill.Tests.Losses.Feature.FeatureLossesA;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Feature;

public class OverhaulDistillationLossTests
{
    private static OverhaulDistillationLoss WithReferenceConnector(string caseName)
    {
        var reference = Case(caseName).GetProperty("ofd");
        var loss = new OverhaulDistillationLoss(LayerPair.Last, 5, Load(reference.GetProperty("margins")));
        using (no_grad())
            loss.named_parameters().Single(p => p.name == "connector.weight").parameter.copy_(Load(reference.GetProperty("weight")));
        return loss;
    }

    [Fact]
    public void OverhaulMarginsFromBatchNormMatchTheAuthorsFormula()
    {
        var reference = Case("flat").GetProperty("ofd");
        using var batchNorm = nn.BatchNorm1d(7, device: DistillDevice.Current);
        using (no_grad())
        {
            batchNorm.weight!.copy_(Load(reference.GetProperty("bn_weight")));
            batchNorm.bias!.copy_(Load(reference.GetProperty("bn_bias")));
        }
        Tensor margins = OverhaulMargins.FromBatchNorm(batchNorm);
        // The reference includes a negative BN weight (|gamma| is the std) and two channels on the -3 sigma branch.
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("margins")), Values(margins), what: "OFD margins");
        Assert.True(margins.requires_grad == false, "margins are constants, not trained");
    }

    [Fact]
    public void OverhaulMarginsOfAZeroMeanChannelAreMinusSigmaTimesSqrtTwoOverPi()
    {
        // E[x | x < 0] for N(0, sigma^2) is -sigma sqrt(2 / pi): a closed form independent of the reference script.
        Tensor margins = OverhaulMargins.FromStatistics(tensor(new[] { 1.0f, 2.5f }), zeros(2));
        Tolerance.AssertClose([-Math.Sqrt(2 / Math.PI), -2.5 * Math.Sqrt(2 / Math.PI)], Values(margins), what: "zero-mean margins");
    }

    [Fact]
    public void OverhaulMarginsRejectAZeroStd()
    {
        var error = Assert.Throws<ArgumentException>(() => OverhaulMargins.FromStatistics(tensor(new[] { 1.0f, 0.0f }), zeros(2)));
        Assert.Contains("is 0", error.Message);
    }

    [Theory]
    [InlineData("flat")]
    [InlineData("seq")]
    public void OverhaulMatchesPyTorchValueAndGradientsAtThePreReluPosition(string caseName)
    {
        var data = Case(caseName);
        var reference = data.GetProperty("ofd");
        using var loss = WithReferenceConnector(caseName);
        Tensor student = Load(data.GetProperty("student"), requiresGrad: true);
        Tensor teacherPre = Load(data.GetProperty("teacher_pre"));
        // Post-ReLU features differ from the pre-activations: matching the reference proves the loss reads PreActivations.
        var context = Context([nn.functional.relu(student)], [nn.functional.relu(teacherPre)], [student], [teacherPre]);

        Tensor value = loss.Compute(context);
        value.backward();

        Tolerance.AssertClose(reference.GetProperty("loss").GetDouble(), Scalar(value), what: $"ofd {caseName} loss");
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("grad_student")), Values(student.grad!), what: $"ofd {caseName} dL/dstudent");
        var weight = loss.named_parameters().Single(p => p.name == "connector.weight").parameter;
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("grad_weight")), Values(weight.grad!), what: $"ofd {caseName} dL/dW");
    }

    [Fact]
    public void OverhaulSkipsPositionsWhereStudentAndTeacherAreBothBelowZero()
    {
        // Teacher far below its margin everywhere: target = margin < 0. A student connector output below the
        // margin at every position is then fully skipped (partial L2), whereas plain L2 would be large.
        var loss = new OverhaulDistillationLoss(LayerPair.Last, 7, full(7, -0.5f, device: DistillDevice.Current), new OverhaulOptions(Scale: 1.0));
        using (no_grad())
        {
            var parameters = loss.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            parameters["connector.weight"].copy_(eye(7));
            parameters["connectorNorm.weight"].fill_(1e-3f);      // BN output ~ bias +- 1e-3
            parameters["connectorNorm.bias"].fill_(-2f);
        }
        Tensor student = Load(Case("flat").GetProperty("teacher"));                   // [6, 7], any values
        Tensor teacher = full(6, 7, -10f, device: DistillDevice.Current);
        Assert.Equal(0.0, Scalar(loss.Compute(Context(student, teacher))));

        using (no_grad())
            loss.named_parameters().Single(p => p.name == "connectorNorm.bias").parameter.fill_(1f);   // now above the margin
        Assert.True(Scalar(loss.Compute(Context(student, teacher))) > 1.0);
    }

    [Fact]
    public void OverhaulConnectorIsTrainableAndItsStepsReduceTheLoss()
    {
        var data = Case("seq");
        Tensor student = Load(data.GetProperty("student")), teacher = Load(data.GetProperty("teacher_pre"));
        using var loss = WithReferenceConnector("seq");
        var optimizer = optim.Adam(loss.parameters(), 0.05);
        double first = Scalar(loss.Compute(Context(student, teacher)));
        for (int step = 0; step < 30; step++)
        {
            optimizer.zero_grad();
            loss.Compute(Context(student, teacher)).backward();
            optimizer.step();
        }
        Assert.True(Scalar(loss.Compute(Context(student, teacher))) < 0.8 * first, "training the connector alone should lower the loss");
    }

    [Theory]
    [InlineData("flat")]
    [InlineData("seq")]
    public void OverhaulGradientReachesStudentAndConnectorButNotTeacher(string caseName)
    {
        var data = Case(caseName);
        using var loss = WithReferenceConnector(caseName);
        AssertGradientReachesOnlyStudent(loss, Load(data.GetProperty("student")), Load(data.GetProperty("teacher_pre")));
        Assert.All(loss.parameters(), p => Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, "a connector parameter got no gradient"));
    }

    [Fact]
    public void OverhaulRejectsBadInputWithTheLossNameAndTheFix()
    {
        var data = Case("seq");
        using var loss = WithReferenceConnector("seq");
        Tensor student = Load(data.GetProperty("student")), teacher = Load(data.GetProperty("teacher_pre"));
        AssertRejectsBadInput(loss, "OverhaulDistillationLoss (ofd)", student, teacher);
        var width = Assert.Throws<ArgumentException>(() => loss.Compute(Context(student, teacher[.., ..6])));
        Assert.Contains("teacher feature", width.Message);
        Assert.Contains("built for 7", width.Message);
        Assert.Throws<ArgumentException>(() => new OverhaulDistillationLoss(LayerPair.Last, 5, zeros(2, 3)));
    }
}
