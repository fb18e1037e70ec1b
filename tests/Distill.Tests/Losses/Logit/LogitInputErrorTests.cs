using Distill.Distillation;
using Distill.Losses;
using TorchSharp;
using static Distill.Tests.Losses.Logit.LogitCases;

namespace Distill.Tests.Losses.Logit;

/// <summary>Bad inputs every logit loss must refuse with a message that names the problem.</summary>
public class LogitInputErrorTests
{
    public static TheoryData<string> Losses => new() { "kd", "nce", "dkd" };

    private static DistillationLoss Create(string name) => name switch
    {
        "kd" => new KnowledgeDistillationLoss(),
        "nce" => new NegativeSoftTargetCrossEntropyLoss(),
        "dkd" => new DecoupledKnowledgeDistillationLoss(),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(Losses))]
    public void BatchSizeMismatchIsRejected(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => Create(name).Compute(Context(Random(61, 8, 10), Random(62, 6, 10))));
        Assert.Contains("batch sizes differ (6 vs 8)", error.Message);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void ClassCountMismatchIsRejected(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => Create(name).Compute(Context(Random(63, 8, 10), Random(64, 8, 7))));
        Assert.Contains("class counts differ (7 vs 10)", error.Message);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void NaNStudentLogitsAreRejected(string name)
    {
        var student = Random(65, 8, 10);
        student[3, 4] = torch.tensor(double.NaN);
        var error = Assert.Throws<ArgumentException>(() => Create(name).Compute(Context(student, Random(66, 8, 10))));
        Assert.Contains("student logits contain NaN", error.Message);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void NaNTeacherLogitsAreRejected(string name)
    {
        var teacher = Random(67, 8, 10);
        teacher[0, 0] = torch.tensor(double.NaN);
        var error = Assert.Throws<ArgumentException>(() => Create(name).Compute(Context(Random(68, 8, 10), teacher)));
        Assert.Contains("teacher logits contain NaN", error.Message);
    }

    [Fact]
    public void BinaryBatchMismatchAndNaNAreRejected()
    {
        var loss = new BinaryKnowledgeDistillationLoss();
        Assert.Contains("batch sizes differ", Assert.Throws<ArgumentException>(() => loss.Compute(Context(Random(69, 16), Random(70, 12)))).Message);
        var student = Random(71, 16);
        student[2] = torch.tensor(double.NaN);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => loss.Compute(Context(student, Random(72, 16)))).Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void NonPositiveTemperatureIsRejected(double temperature)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KnowledgeDistillationLoss(temperature));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BinaryKnowledgeDistillationLoss(temperature));
        Assert.Throws<ArgumentOutOfRangeException>(() => new NegativeSoftTargetCrossEntropyLoss(temperature));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DecoupledKnowledgeDistillationLoss(new DkdOptions(Temperature: temperature)));
    }
}
