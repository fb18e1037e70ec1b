using Distill.Distillation.BeatGan;
using Distill.Distillation;
using Distill.Losses.BeatGan;
using Distill.Losses;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Tests.Training.BeatGan;
using Distill.Training.BeatGan;
using static TorchSharp.torch;

namespace Distill.Tests.Distillation.BeatGan;

public class ConstantScoreKdTests
{
    [Fact]
    public void TheNotesKlIsNonZeroButCarriesNoGradient()
    {
        using var scope = NewDisposeScope();
        Reproducibility.Seed(1);
        var student = new BeatGanGenerator(BeatGanKdTermsTests.StudentSizes);
        var teacher = new BeatGanGenerator(BeatGanKdTermsTests.TeacherSizes);
        var beats = cat([SyntheticBeats.Normal(4, 1), SyntheticBeats.Abnormal(4, 2)], 0);
        var context = new DistillationContext(student.ForwardFeatures(beats), teacher.ForwardFeatures(beats), beats);
        var value = new ConstantScoreKdLoss(temperature: 0.01).Compute(context);
        Assert.True(value.item<float>() > 0);
        Assert.False(value.requires_grad);

        // Adding it to the reconstruction loss leaves every gradient exactly as it was.
        var reconstruction = nn.functional.mse_loss(context.Student.Output, beats);
        var alone = Gradients(student, reconstruction, retain: true);
        var withKl = Gradients(student, reconstruction + 10 * value, retain: false);
        for (int i = 0; i < alone.Length; i++) Assert.True(alone[i].allclose(withKl[i], rtol: 0, atol: 0), $"parameter {i} changed");
    }

    [Fact]
    public void TheStudentTrainerRejectsItUnlessAskedToDemonstrate()
    {
        using var scope = NewDisposeScope();
        Reproducibility.Seed(2);
        var teacher = new BeatGanGenerator(BeatGanKdTermsTests.TeacherSizes);
        var beats = SyntheticBeats.Normal(4, 3);
        var trainer = new BeatGanStudentTrainer(new BeatGanGenerator(BeatGanKdTermsTests.StudentSizes), new BeatGanDiscriminator(BeatGanKdTermsTests.StudentSizes),
            teacher, [new DistillationTerm(new ConstantScoreKdLoss(), 1.0)], new BeatGanStudentOptions(new BeatGanTrainingOptions(BatchSize: 4)));
        Assert.Contains("no gradient", Assert.Throws<InvalidOperationException>(() => trainer.TrainStep(beats)).Message);
    }

    [Fact]
    public void TrainingWithItGivesTheSameStudentAsTrainingWithout()
    {
        using var scope = NewDisposeScope();
        Reproducibility.Seed(4);
        var teacher = new BeatGanGenerator(BeatGanKdTermsTests.TeacherSizes);
        var beats = SyntheticBeats.Normal(8, 5);
        var without = Train(teacher, beats, []);
        var with = Train(teacher, beats, [new DistillationTerm(new ConstantScoreKdLoss(), 5.0)]);
        var a = without.parameters().ToArray();
        var b = with.parameters().ToArray();
        for (int i = 0; i < a.Length; i++) Assert.True(a[i].allclose(b[i], rtol: 0, atol: 0), $"parameter {i} differs");
    }

    private static BeatGanGenerator Train(BeatGanGenerator teacher, Tensor beats, DistillationTerm[] terms)
    {
        Reproducibility.Seed(7);
        var student = new BeatGanGenerator(BeatGanKdTermsTests.StudentSizes);
        var trainer = new BeatGanStudentTrainer(student, new BeatGanDiscriminator(BeatGanKdTermsTests.StudentSizes), teacher, terms,
            new BeatGanStudentOptions(new BeatGanTrainingOptions(BatchSize: 4), AcceptGradientFreeTerms: true));
        for (int i = 0; i < 3; i++) trainer.TrainStep(beats);
        return student;
    }

    private static Tensor[] Gradients(BeatGanGenerator model, Tensor loss, bool retain)
    {
        foreach (var p in model.parameters()) p.grad = null;
        loss.backward(retain_graph: retain);
        return model.parameters().Select(p => p.grad!.clone()).ToArray();
    }
}
