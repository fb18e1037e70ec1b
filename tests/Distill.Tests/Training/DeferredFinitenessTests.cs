using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Losses;
using Distill.Models;
using Distill.Training;
using TorchSharp;

namespace Distill.Tests.Training;

/// <summary>Inside a trainer the losses do not read their inputs back to check for NaN (a sync each); the trainer's one read
/// of the step's values finds a NaN input through the value of the term it enters, and names that term.</summary>
public sealed class DeferredFinitenessTests
{
    private static readonly TrainingOptions Options = new(Epochs: 2, BatchSize: 64, EarlyStoppingPatience: 5);

    [Fact]
    public void ANaNTeacherFeatureIsReportedByTheTrainerUnderItsTermsName()
    {
        var data = TeacherStudentData.BreastCancer(seed: 0);
        var (teacher, _) = TabularDistillation.TrainTeacher(data, [16], Options with { Epochs = 1 }, seed: 0);
        using (torch.no_grad()) teacher.parameters().First().fill_(double.NaN); // every hidden unit and the logits NaN

        var error = Assert.Throws<NonFiniteLossException>(() =>
            TabularDistillation.TrainStudent(data, teacher, DistillationMethod.FitNet, [8], Options, seed: 1));
        Assert.Equal((1, 1), (error.Epoch, error.Batch));
        Assert.Equal(["fitnet"], error.NonFiniteTerms);
        Assert.Contains("fitnet=NaN", error.Message);
        Assert.False(InputFinitenessChecks.Deferred, "the deferral ends with the step, even when it throws");
    }

    [Fact]
    public void OutsideATrainerTheLossNamesTheNaNInputItself()
    {
        using var deferral = InputFinitenessChecks.DeferToLossValues();
        Assert.True(InputFinitenessChecks.Deferred);
        deferral.Dispose();
        deferral.Dispose(); // a second dispose changes nothing
        Assert.False(InputFinitenessChecks.Deferred);
        var student = torch.randn(4, 3);
        var teacher = torch.full(4, 3, double.NaN);
        var context = new DistillationContext(new FeatureOutput(student, [], []), new FeatureOutput(teacher, [], []),
                                              torch.zeros(4, dtype: torch.ScalarType.Int64), null);
        var error = Assert.Throws<ArgumentException>(() => new KnowledgeDistillationLoss().Compute(context));
        Assert.Contains("teacher logits contain NaN", error.Message);
    }
}
