using Distill.Distillation.BeatGan;
using Distill.Distillation;
using Distill.Losses.BeatGan;
using Distill.Losses;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Tests.Training.BeatGan;
using static TorchSharp.torch;

namespace Distill.Tests.Distillation.BeatGan;

public class BeatGanKdTermsTests
{
    internal static readonly BeatGanOptions TeacherSizes = new(LatentSize: 8, GeneratorWidth: 4, DiscriminatorWidth: 4);
    internal static readonly BeatGanOptions StudentSizes = new(LatentSize: 4, GeneratorWidth: 2, DiscriminatorWidth: 2);

    private static (BeatGanGenerator Student, BeatGanGenerator Teacher, BeatGanDiscriminator TeacherD) Models()
    {
        Reproducibility.Seed(3);
        var teacher = new BeatGanGenerator(TeacherSizes);
        var teacherD = new BeatGanDiscriminator(TeacherSizes);
        var student = new BeatGanGenerator(StudentSizes);
        foreach (var p in teacher.parameters()) p.requires_grad = false;
        teacher.eval();
        return (student, teacher, teacherD);
    }

    private static DistillationContext Context(BeatGanGenerator student, BeatGanGenerator teacher, Tensor beats)
    {
        Distill.Models.FeatureOutput teacherPass;
        using (no_grad()) teacherPass = teacher.ForwardFeatures(beats);
        return new DistillationContext(student.ForwardFeatures(beats), teacherPass, beats, arange(beats.shape[0], dtype: ScalarType.Int64));
    }

    public static TheoryData<BeatGanKdTerm> GradientTerms =>
    [
        BeatGanKdTerm.Reconstruction, BeatGanKdTerm.AnomalyScore, BeatGanKdTerm.Latent,
        BeatGanKdTerm.EncoderAttention, BeatGanKdTerm.DiscriminatorAttention, BeatGanKdTerm.LatentContrastive,
    ];

    [Theory]
    [MemberData(nameof(GradientTerms))]
    public void GradientReachesStudentGeneratorAndNeverTheTeacher(BeatGanKdTerm term)
    {
        using var scope = NewDisposeScope();
        var (student, teacher, teacherD) = Models();
        var loss = BeatGanKdTerms.Create(term, StudentSizes, TeacherSizes, teacherD, trainBeats: 6);
        var beats = SyntheticBeats.Normal(6, 1);
        var value = loss.Compute(Context(student, teacher, beats));

        Assert.True(value.requires_grad, $"{term} carries no gradient");
        Assert.True(value.item<float>() > 0, $"{term} is zero for different networks");
        value.backward();
        // The encoder's first convolution lies on every path (reconstruction, code, encoder features).
        var first = student.parameters().First();
        Assert.NotNull(first.grad);
        Assert.True(first.grad!.abs().sum().item<float>() > 0, $"{term}: no gradient on the student's first layer");
        Assert.All(teacher.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
        Assert.All(teacherD.parameters(), p => Assert.True(p.grad is null || p.grad.abs().sum().item<float>() == 0));
    }

    [Fact]
    public void DiscriminatorAttentionFreezesTheTeacherDiscriminator()
    {
        var (_, _, teacherD) = Models();
        _ = new DiscriminatorAttentionTransferLoss(teacherD);
        Assert.All(teacherD.parameters(), p => Assert.False(p.requires_grad));
        Assert.False(teacherD.training);
    }

    [Fact]
    public void LatentRegressorIsTrainedWhenCodeSizesDiffer()
    {
        using var scope = NewDisposeScope();
        var (student, teacher, _) = Models();
        var loss = new LatentDistillationLoss(StudentSizes.LatentSize, TeacherSizes.LatentSize);
        var regressor = Assert.Single(loss.parameters());
        Assert.Equal(new long[] { TeacherSizes.LatentSize, StudentSizes.LatentSize, 1 }, regressor.shape);
        loss.Compute(Context(student, teacher, SyntheticBeats.Normal(4, 2))).backward();
        Assert.True(regressor.grad!.abs().sum().item<float>() > 0);
        Assert.Empty(new LatentDistillationLoss(8, 8).parameters());
    }

    [Fact]
    public void ScoreKdMatchesAnIndependentSoftmaxKl()
    {
        using var scope = NewDisposeScope();
        var (student, teacher, _) = Models();
        var beats = SyntheticBeats.Normal(5, 4);
        var context = Context(student, teacher, beats);
        const double t = 0.05;
        double actual = new AnomalyScoreDistillationLoss(new(t)).Compute(context).item<float>();

        double[] es = Errors(beats, context.Student.Output), et = Errors(beats, context.Teacher.Output);
        double[] ps = Softmax(es.Select(e => -e / t).ToArray()), pt = Softmax(et.Select(e => -e / t).ToArray());
        double expected = t * t * pt.Select((p, i) => p * Math.Log(p / ps[i])).Sum();
        Assert.True(expected > 0);
        // float32 errors and log-softmax against double arithmetic: relative 1e-4.
        Distill.Tests.Reference.Tolerance.AssertClose(expected, actual, 1e-4, 1e-9, "score KD");
    }

    [Fact]
    public void ScoreKdIsZeroForIdenticalModels()
    {
        using var scope = NewDisposeScope();
        var (_, teacher, _) = Models();
        var beats = SyntheticBeats.Abnormal(6, 5);
        Distill.Models.FeatureOutput pass;
        using (no_grad()) pass = teacher.ForwardFeatures(beats);
        var value = new AnomalyScoreDistillationLoss().Compute(new DistillationContext(pass, pass, beats)).item<float>();
        Assert.InRange(value, -1e-9, 1e-9);
        Assert.True(new AnomalyScoreDistillationLoss().Compute(Context(Models().Student, teacher, beats)).item<float>() > 1e-9);
    }

    [Fact]
    public void BadInputsThrowWithTheFix()
    {
        using var scope = NewDisposeScope();
        var (student, teacher, _) = Models();
        var beats = SyntheticBeats.Normal(4, 6);
        var context = Context(student, teacher, beats);
        var wrongTargets = context with { Targets = zeros(4) };
        Assert.Contains("Targets", Assert.Throws<ArgumentException>(() => new AnomalyScoreDistillationLoss().Compute(wrongTargets)).Message);
        var other = context with { Teacher = context.Teacher with { Output = zeros(4, 1, 160) } };
        Assert.Throws<ArgumentException>(() => new ReconstructionDistillationLoss().Compute(other));
        Assert.Throws<ArgumentException>(() => new LatentDistillationLoss(5, 8).Compute(context));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AnomalyScoreDistillationLoss(new(0)));
    }

    private static double[] Errors(Tensor beats, Tensor reconstruction)
    {
        var x = beats.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();
        var r = reconstruction.detach().cpu().to_type(ScalarType.Float64).data<double>().ToArray();
        int n = (int)beats.shape[0], length = x.Length / n;
        return Enumerable.Range(0, n).Select(i => Enumerable.Range(i * length, length).Average(k => (x[k] - r[k]) * (x[k] - r[k]))).ToArray();
    }

    private static double[] Softmax(double[] z)
    {
        double max = z.Max();
        var e = z.Select(v => Math.Exp(v - max)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}
