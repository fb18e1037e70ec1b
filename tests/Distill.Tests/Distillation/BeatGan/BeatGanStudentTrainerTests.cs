using Distill.Distillation.BeatGan;
using Distill.Distillation;
using Distill.Experiments.BeatGan;
using Distill.Losses.BeatGan;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Tests.Training.BeatGan;
using Distill.Training.BeatGan;
using static TorchSharp.torch;

namespace Distill.Tests.Distillation.BeatGan;

public class BeatGanStudentTrainerTests
{
    [Fact]
    public void AShortDistilledRunLowersTheReconstructionLossAndLeavesTheTeacherAlone()
    {
        using var scope = NewDisposeScope();
        Reproducibility.Seed(5);
        var teacher = new BeatGanGenerator(BeatGanKdTermsTests.TeacherSizes);
        var teacherD = new BeatGanDiscriminator(BeatGanKdTermsTests.TeacherSizes);
        var teacherBefore = teacher.parameters().Select(p => p.detach().clone()).ToArray();
        var student = new BeatGanGenerator(BeatGanKdTermsTests.StudentSizes);
        var terms = new[] { BeatGanKdTerm.Reconstruction, BeatGanKdTerm.AnomalyScore, BeatGanKdTerm.Latent, BeatGanKdTerm.EncoderAttention, BeatGanKdTerm.DiscriminatorAttention, BeatGanKdTerm.LatentContrastive }
            .Select(t => new DistillationTerm(BeatGanKdTerms.Create(t, BeatGanKdTermsTests.StudentSizes, BeatGanKdTermsTests.TeacherSizes, teacherD, trainBeats: 16), 1.0))
            .ToArray();
        var trainer = new BeatGanStudentTrainer(student, new BeatGanDiscriminator(BeatGanKdTermsTests.StudentSizes), teacher, terms,
            new BeatGanStudentOptions(new BeatGanTrainingOptions(Epochs: 10, BatchSize: 8, LearningRate: 5e-3)));

        var history = trainer.Fit(SyntheticBeats.Normal(16, 8));

        Assert.Equal(10, history.Count);
        Assert.True(history[^1].Reconstruction < 0.9 * history[0].Reconstruction,
            $"reconstruction {history[0].Reconstruction} -> {history[^1].Reconstruction}");
        Assert.Equal(["at", "crd", "d-at", "latent", "rec-kd", "score-kd"], history[^1].Terms.Keys.Order());
        var after = teacher.parameters().ToArray();
        for (int i = 0; i < after.Length; i++) Assert.True(after[i].allclose(teacherBefore[i], rtol: 0, atol: 0), $"teacher parameter {i} changed");
    }

    [Fact]
    public void EveryStepIsReportedWithItsCountsAndTheLossesTheEpochMeansAreMadeOf()
    {
        using var scope = NewDisposeScope();
        Reproducibility.Seed(6);
        var teacher = new BeatGanGenerator(BeatGanKdTermsTests.TeacherSizes);
        var student = new BeatGanGenerator(BeatGanKdTermsTests.StudentSizes);
        var terms = new[] { new DistillationTerm(BeatGanKdTerms.Create(BeatGanKdTerm.Reconstruction, BeatGanKdTermsTests.StudentSizes,
            BeatGanKdTermsTests.TeacherSizes, new BeatGanDiscriminator(BeatGanKdTermsTests.TeacherSizes), trainBeats: 24), 1.0) };
        var trainer = new BeatGanStudentTrainer(student, new BeatGanDiscriminator(BeatGanKdTermsTests.StudentSizes), teacher, terms,
            new BeatGanStudentOptions(new BeatGanTrainingOptions(Epochs: 2, BatchSize: 8, LearningRate: 1e-3)));
        var steps = new List<BeatGanProgress>();

        var history = trainer.Fit(SyntheticBeats.Normal(24, 8), steps: new Recorder<BeatGanProgress>(steps));

        Assert.Equal([(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)], steps.Select(s => (s.Epoch, s.Batch)));
        Assert.All(steps, s => Assert.Equal((2, 3), (s.Epochs, s.Batches)));
        Assert.All(steps, s => Assert.Null(s.CompletedEpoch));
        for (int epoch = 1; epoch <= 2; epoch++)
            Assert.Equal(history[epoch - 1].Reconstruction, steps.Where(s => s.Epoch == epoch).Average(s => s.Step.Reconstruction), 12);
    }

    private sealed class Recorder<T>(List<T> reports) : IProgress<T>
    {
        public void Report(T value) => reports.Add(value);
    }

    [Fact]
    public void RejectsDuplicateTermsAndTheTeacherAsStudent()
    {
        var teacher = new BeatGanGenerator(BeatGanKdTermsTests.TeacherSizes);
        var d = new BeatGanDiscriminator(BeatGanKdTermsTests.TeacherSizes);
        Assert.Throws<ArgumentException>(() => new BeatGanStudentTrainer(teacher, d, teacher, []));
        var twice = new[] { new DistillationTerm(new ReconstructionDistillationLoss(), 1), new DistillationTerm(new ReconstructionDistillationLoss(), 2) };
        Assert.Throws<ArgumentException>(() => new BeatGanStudentTrainer(new BeatGanGenerator(BeatGanKdTermsTests.TeacherSizes), d, teacher, twice));
    }

    [Fact]
    public void MultiplyAddsFollowTheLayerShapes()
    {
        // nc = ngf = nz = 1 over 320 samples, counted by hand: encoder 640+640+1280+2560+5120+160, decoder 160+5120+2560+1280+640+640.
        Assert.Equal(20_800, BeatGanCompression.GeneratorMultiplyAdds(new BeatGanOptions(LatentSize: 1, GeneratorWidth: 1, DiscriminatorWidth: 1)));
        // Doubling ngf and nz quadruples every conv except the two touching nc = 1, which double: 4·20800 − 2·(640 + 640).
        Assert.Equal(4 * 20_800 - 2 * 1_280, BeatGanCompression.GeneratorMultiplyAdds(new BeatGanOptions(LatentSize: 2, GeneratorWidth: 2, DiscriminatorWidth: 2)));
    }
}
