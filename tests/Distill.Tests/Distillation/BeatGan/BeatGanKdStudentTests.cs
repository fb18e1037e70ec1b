using Distill.Distillation.BeatGan;
using Distill.Models.BeatGan;

using Distill.Experiments.BeatGan;
namespace Distill.Tests.Distillation.BeatGan;

public class BeatGanKdStudentTests
{
    [Fact]
    public void EveryTermsNameIsTheNameItsLossReports()
    {
        var teacherD = new BeatGanDiscriminator(BeatGanKdTermsTests.TeacherSizes);
        foreach (var term in Enum.GetValues<BeatGanKdTerm>())
        {
            var loss = BeatGanKdTerms.Create(term, BeatGanKdTermsTests.StudentSizes, BeatGanKdTermsTests.TeacherSizes, teacherD, trainBeats: 8);
            Assert.Equal(loss.Name, BeatGanKdTerms.Name(term));
            Assert.Equal(term, BeatGanKdTerms.FromName(loss.Name.ToUpperInvariant()));
        }
        Assert.Null(BeatGanKdTerms.FromName("kd"));
    }

    [Fact]
    public void RecipesParseWithDefaultAndExplicitWeightsAndPrintBack()
    {
        var single = BeatGanKdStudent.Parse("rec-kd");
        Assert.Equal([(BeatGanKdTerm.Reconstruction, 1.0)], single.Terms);
        Assert.Equal("student + rec-kd", single.Name);

        var combined = BeatGanKdStudent.Parse(" score-kd=50 + crd ");
        Assert.Equal([(BeatGanKdTerm.AnomalyScore, 50.0), (BeatGanKdTerm.LatentContrastive, BeatGanKdTerms.DefaultWeight(BeatGanKdTerm.LatentContrastive))], combined.Terms);
        Assert.Equal("student + score-kd=50 + crd", combined.Name);
        Assert.Equal(combined.Terms, BeatGanKdStudent.Parse(combined.ToString()).Terms);
        Assert.Equal([(BeatGanKdTerm.AnomalyScore, 5.0), (BeatGanKdTerm.LatentContrastive, BeatGanKdTerms.DefaultWeight(BeatGanKdTerm.LatentContrastive) / 10)],
            combined.Scaled(0.1).Terms);
    }

    [Theory]
    [InlineData("kd", "Unknown BeatGAN distillation term 'kd'")]
    [InlineData("rec-kd=-1", "non-negative number")]
    [InlineData("rec-kd=abc", "non-negative number")]
    [InlineData("rec-kd+rec-kd", "names rec-kd twice")]
    public void BadRecipesNameTheProblem(string recipe, string message)
    {
        var error = Assert.Throws<FormatException>(() => BeatGanKdStudent.Parse(recipe));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void ConfigurationsRunOneStudentPerTerm()
    {
        var students = BeatGanKdConfig.Default(1, 1, 1).Students;
        Assert.Equal(Enum.GetValues<BeatGanKdTerm>(), students.Select(s => Assert.Single(s.Terms).Term));
        Assert.Equal(64, BeatGanKdConfig.MitBih(1, 1, 1).BatchSize);
        Assert.Equal(1e-4, BeatGanKdConfig.MitBih(1, 1, 1).LearningRate);
        Assert.Throws<ArgumentException>(() => new BeatGanKdStudent([]));
    }
}
