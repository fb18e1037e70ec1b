using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Models;
using Distill.Training;

namespace Distill.Tests.Training;

/// <summary>Students trained from method specs: a one-method spec is the one-method student of before the registry, a
/// composed spec the combination of its methods.</summary>
public sealed class MethodSpecTrainingTests
{
    private static readonly TrainingOptions Options = new(Epochs: 2, BatchSize: 64, EarlyStoppingPatience: 5);
    private const double AucRounding = 0.002, RelativeRounding = 1e-4, ScoreSumRounding = 0.01;
    private static readonly Lazy<(TeacherStudentData Data, Mlp Teacher)> Setup = new(() =>
    {
        var data = TeacherStudentData.BreastCancer(seed: 0);
        var (teacher, _) = TabularDistillation.TrainTeacher(data, [16], Options, seed: 0);
        return (data, teacher);
    });

    // Test AUC, last epoch's training loss and the sum of the test scores of TabularDistillation.TrainStudent(method, [8],
    // seed 1, weight) as the code before the method registry (commit 33b0e5f) computed them on the CPU. Runs are bit-identical
    // on one machine but another CPU rounds some sums differently (an AMD EPYC gives "none"'s last loss 0.45322421193 for
    // 0.45322423180, moves one AUC by 3e-4, one test pair's order, and a score sum by up to 0.33%), so the spec's student must
    // equal the method's bit for bit and both match the pinned figures within that rounding (AUC 0.002, last loss 1e-4
    // relative, score sum 1%).
    [Theory]
    [InlineData("none", DistillationMethod.None, null, 0.9677002583979328, 0.45322423179944354, 48.53036741539836)]
    [InlineData("kd", DistillationMethod.Kd, null, 0.9670542635658915, 0.541187509894371, 48.618405517190695)]
    [InlineData("kd=2.5", DistillationMethod.Kd, 2.5, 0.957687338501292, 0.6550839642683665, 48.58304093033075)]
    [InlineData("fitnet", DistillationMethod.FitNet, null, 0.9602713178294573, 73.2383524576823, 48.427418261766434)]
    [InlineData("hint=2.5", DistillationMethod.FitNet, 2.5, 0.9641472868217055, 2.2838454246520996, 48.48092445358634)]
    // CRD's figures are those after its exact negatives came to be scored by one product with the whole bank (74f5c2c): the
    // same sums in another order, so the last digits moved (crd's last loss 11.740527311960856 before).
    [InlineData("crd", DistillationMethod.Crd, null, 0.9673772609819121, 11.740527629852295, 48.54217082262039)]
    [InlineData("crd=2.5", DistillationMethod.Crd, 2.5, 0.9664082687338502, 35.749694188435875, 48.57132463902235)]
    public void AOneMethodSpecReproducesTheOneMethodStudentOfBefore(string spec, DistillationMethod method, double? weight,
                                                                    double auc, double lastLoss, double scoreSum)
    {
        var (data, teacher) = Setup.Value;
        var fromSpec = TabularDistillationCombined.Train(data, teacher,
            TabularDistillationCombined.Prepare(data, teacher, MethodSpec.Parse(spec), [8], seed: 1), Options);
        var fromMethod = TabularDistillation.TrainStudent(data, teacher, method, [8], Options, seed: 1, weight: weight);
        Assert.Equal(fromMethod.Test.Scores, fromSpec.Test.Scores);
        Assert.Equal(fromMethod.Training.History[^1].TrainLoss, fromSpec.Training.History[^1].TrainLoss);
        Assert.Equal(auc, fromSpec.Test.Metrics["auc"], AucRounding);
        Assert.Equal(lastLoss, fromSpec.Training.History[^1].TrainLoss, Math.Abs(lastLoss) * RelativeRounding);
        Assert.Equal(scoreSum, fromSpec.Test.Scores.Sum(), Math.Abs(scoreSum) * ScoreSumRounding);
        Assert.Equal(MethodSpec.Parse(spec).Name, fromSpec.Label);
    }

    [Fact]
    public void AComposedSpecIsTheCombinationOfItsMethods()
    {
        var (data, teacher) = Setup.Value;
        var fromSpec = TabularDistillationCombined.Train(data, teacher,
            TabularDistillationCombined.Prepare(data, teacher, MethodSpec.Parse("crd+kd"), [8], seed: 1), Options);
        var fromMethods = TabularDistillationCombined.Train(data, teacher,
            TabularDistillationCombined.Prepare(data, teacher, [DistillationMethod.Crd, DistillationMethod.Kd], [8], seed: 1), Options);
        Assert.Equal("crd+kd", fromSpec.Label);
        Assert.Equal(["task", "crd", "bkd"], fromSpec.Training.History[0].TrainTerms.Keys);
        Assert.Equal(fromMethods.Test.Scores, fromSpec.Test.Scores);
        Assert.Equal(0.9664082687338501, fromSpec.Test.Metrics["auc"], AucRounding); // as before the registry
        Assert.Equal(11.834177176157633, fromSpec.Training.History[^1].TrainLoss, 11.834177176157633 * RelativeRounding);

        // Another weight is another student.
        var heavier = TabularDistillationCombined.Train(data, teacher,
            TabularDistillationCombined.Prepare(data, teacher, MethodSpec.Parse("crd+kd=3"), [8], seed: 1), Options);
        Assert.NotEqual(fromSpec.Training.History[^1].TrainLoss, heavier.Training.History[^1].TrainLoss);
    }
}
