using Distill.Distillation;
using Distill.Losses;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Tests.Distillation.BeatGan;
using Distill.Training.BeatGan;
using Distill.Training;
using static TorchSharp.torch;

namespace Distill.Tests.Training.BeatGan;

public class BeatGanNonFiniteTests
{
    private sealed class NaNAfter(int calls) : DistillationLoss(nameof(NaNAfter))
    {
        private int count;
        public override string Name => "nan-probe";
        public override Tensor Compute(DistillationContext context) =>
            context.Student.Output.mean() * (++count > calls ? double.NaN : 0.0);
    }

    [Fact]
    public void AStudentTermTurningNaNStopsTrainingNamingEpochBatchAndTerm()
    {
        using var scope = NewDisposeScope();
        Reproducibility.Seed(1);
        var teacher = new BeatGanGenerator(BeatGanKdTermsTests.TeacherSizes);
        var trainer = new BeatGanStudentTrainer(new BeatGanGenerator(BeatGanKdTermsTests.StudentSizes), new BeatGanDiscriminator(BeatGanKdTermsTests.StudentSizes),
            teacher, [new DistillationTerm(new NaNAfter(calls: 3), 1.0)],
            new BeatGanStudentOptions(new BeatGanTrainingOptions(Epochs: 3, BatchSize: 4)));

        var error = Assert.Throws<NonFiniteLossException>(() => trainer.Fit(SyntheticBeats.Normal(8, 2)));

        Assert.Equal(2, error.Epoch); // 2 batches per epoch: calls 1-3 are finite, the 4th (epoch 2, batch 2) is NaN
        Assert.Equal(2, error.Batch);
        Assert.Contains("nan-probe", error.NonFiniteTerms);
        Assert.Contains("epoch 2, batch 2", error.Message);
    }

    [Fact]
    public void ADivergingTeacherStopsAtTheFirstNonFiniteLoss()
    {
        using var scope = NewDisposeScope();
        Reproducibility.Seed(2);
        var options = new BeatGanOptions(LatentSize: 4, GeneratorWidth: 2, DiscriminatorWidth: 2);
        var trainer = new BeatGanTrainer(new BeatGanGenerator(options), new BeatGanDiscriminator(options),
            new BeatGanTrainingOptions(Epochs: 5, BatchSize: 4, LearningRate: 1e30));
        var validation = cat([SyntheticBeats.Normal(4, 3), SyntheticBeats.Abnormal(4, 4)]);

        var error = Assert.Throws<NonFiniteLossException>(() =>
            trainer.Fit(SyntheticBeats.Normal(8, 5), validation, [0, 0, 0, 0, 1, 1, 1, 1], (s, l) => SyntheticBeats.Auc(s, l)));

        Assert.NotEmpty(error.NonFiniteTerms);
        Assert.Contains("Lower the learning rate", error.Message);
    }
}
