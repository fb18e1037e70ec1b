using Distill.Losses;
using Distill.Losses.Feature;
using Distill.Tests.Reference;
using TorchSharp;
using static Distill.Tests.Losses.Feature.FeatureLossesA;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Feature;

public class FitNetLossTests
{
    private static FitNetLoss WithReferenceRegressor(string caseName, FitNetOptions? options = null)
    {
        var reference = Case(caseName).GetProperty("fitnet");
        var loss = new FitNetLoss(LayerPair.Last, 5, 7, options);
        var parameters = loss.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using (no_grad())
        {
            parameters["regressor.weight"].copy_(Load(reference.GetProperty("weight")));
            parameters["regressor.bias"].copy_(Load(reference.GetProperty("bias")));
        }
        return loss;
    }

    [Theory]
    [InlineData("flat")]
    [InlineData("seq")]
    public void FitNetMatchesPyTorchValueAndGradients(string caseName)
    {
        var data = Case(caseName);
        var reference = data.GetProperty("fitnet");
        using var loss = WithReferenceRegressor(caseName);
        Tensor student = Load(data.GetProperty("student"), requiresGrad: true);
        Tensor teacher = Load(data.GetProperty("teacher_relu"));

        Tensor value = loss.Compute(Context(student, teacher));
        value.backward();

        Tolerance.AssertClose(reference.GetProperty("loss").GetDouble(), Scalar(value), what: $"fitnet {caseName} loss");
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("grad_student")), Values(student.grad!), what: $"fitnet {caseName} dL/dstudent");
        var weight = loss.named_parameters().Single(p => p.name == "regressor.weight").parameter;
        Tolerance.AssertClose(ReferenceData.Doubles(reference.GetProperty("grad_weight")), Values(weight.grad!), what: $"fitnet {caseName} dL/dW");
    }

    [Fact]
    public void FitNetGradientReachesStudentAndRegressorButNotTeacher()
    {
        var data = Case("seq");
        using var loss = new FitNetLoss(LayerPair.Last, 5, 7);
        AssertGradientReachesOnlyStudent(loss, Load(data.GetProperty("student")), Load(data.GetProperty("teacher_relu")));
        Assert.All(loss.parameters(), p => Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, "a regressor parameter got no gradient"));
    }

    [Fact]
    public void FitNetRegressorIsTrainableAndItsStepsReduceTheHintLoss()
    {
        var data = Case("seq");
        Tensor student = Load(data.GetProperty("student")), teacher = Load(data.GetProperty("teacher_relu"));
        using var loss = new FitNetLoss(LayerPair.Last, 5, 7);
        var optimizer = optim.Adam(loss.parameters(), 0.05);
        double first = Scalar(loss.Compute(Context(student, teacher)));
        for (int step = 0; step < 30; step++)
        {
            optimizer.zero_grad();
            loss.Compute(Context(student, teacher)).backward();
            optimizer.step();
        }
        Assert.True(Scalar(loss.Compute(Context(student, teacher))) < 0.8 * first, "training the regressor alone should lower the hint loss");
    }

    [Fact]
    public void FitNetLinearRegressorWithIdentityWeightIsPlainMeanSquaredError()
    {
        var data = Case("flat");
        Tensor student = Load(data.GetProperty("student"));
        Tensor teacher = Load(data.GetProperty("teacher"))[.., ..5];
        using var loss = new FitNetLoss(LayerPair.Last, 5, 5, new FitNetOptions(HintRegressor.Linear));
        var parameters = loss.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.DoesNotContain(parameters.Keys, name => name.StartsWith("norm"));
        using (no_grad())
        {
            parameters["regressor.weight"].copy_(eye(5));
            parameters["regressor.bias"].zero_();
        }
        double expected = Values(student - teacher).Select(d => d * d).Average();
        Tolerance.AssertClose(expected, Scalar(loss.Compute(Context(student, teacher))), what: "identity-regressor FitNet");
    }

    [Fact]
    public void FitNetRejectsBadInputWithTheLossNameAndTheFix()
    {
        var data = Case("flat");
        using var loss = new FitNetLoss(LayerPair.Last, 5, 7);
        Tensor student = Load(data.GetProperty("student"));
        Tensor teacher = Load(data.GetProperty("teacher_relu"));
        AssertRejectsBadInput(loss, "FitNetLoss (fitnet)", student, teacher);

        var width = Assert.Throws<ArgumentException>(() => loss.Compute(Context(student[.., ..4], teacher)));
        Assert.Contains("[6, 4] with 4 channels, but the loss was built for 5", width.Message);
        var layout = Assert.Throws<ArgumentException>(() => loss.Compute(Context(student.unsqueeze(2), teacher)));
        Assert.Contains("different layouts", layout.Message);
    }
}
