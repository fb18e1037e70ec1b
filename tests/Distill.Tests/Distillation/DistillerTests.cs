using Distill.Distillation;
using Distill.Losses;
using Distill.Runtime;
using Distill.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Distillation;

public class DistillerTests
{
    private const long Batch = 16, TeacherInputs = 30, StudentInputs = 10, Classes = 3;

    // The seed's tabular setting in miniature: the teacher reads 30 features, the student 10, with different widths.
    private sealed record Setup(TinyFeatureModel Student, TinyFeatureModel Teacher, Tensor StudentInput, Tensor TeacherInput, Tensor Targets);

    private static Setup NewSetup(int seed)
    {
        using var generator = new torch.Generator((ulong)seed);
        var teacherInput = randn([Batch, TeacherInputs], generator: generator).to(DistillDevice.Current);
        var studentInput = teacherInput[.., ..(int)StudentInputs].clone();
        var targets = (arange(Batch, ScalarType.Int64) % Classes).to(DistillDevice.Current);
        return new Setup(new TinyFeatureModel(StudentInputs, 4, Classes), new TinyFeatureModel(TeacherInputs, 8, Classes), studentInput, teacherInput, targets);
    }

    private static Tensor CrossEntropy(Tensor output, Tensor targets) => nn.functional.cross_entropy(output, targets);

    private static double[] Values(Tensor t) => t.detach().cpu().to(ScalarType.Float64).data<double>().ToArray();

    [Fact]
    public void TeacherIsFrozenAndGetsNoGradientWhileStudentAndLossDo()
    {
        var s = NewSetup(1);
        var probe = new ProbeLoss(4, 8);
        var distiller = Distiller.Create(s.Student, s.Teacher, CrossEntropy, new DistillationTerm(new KnowledgeDistillationLoss(), 0.9), new DistillationTerm(probe, 1.0));
        Assert.All(s.Teacher.parameters(), p => Assert.False(p.requires_grad));

        distiller.Step(s.StudentInput, s.TeacherInput, s.Targets).Total.backward();

        Assert.All(s.Teacher.parameters(), p => Assert.Null(p.grad));
        Assert.All(s.Student.parameters(), p => Assert.True(p.grad!.abs().sum().item<float>() > 0, "a student parameter got no gradient"));
        Assert.True(probe.Regressor.weight!.grad!.abs().sum().item<float>() > 0, "the loss's regressor got no gradient");
    }

    [Fact]
    public void TeacherStaysInEvalModeAndKeepsItsBatchNormStatistics()
    {
        var s = NewSetup(2);
        var distiller = Distiller.Create(s.Student, s.Teacher, CrossEntropy, new DistillationTerm(new KnowledgeDistillationLoss(), 1.0));
        var teacherMean = Values(s.Teacher.Norm.running_mean!);
        var teacherVar = Values(s.Teacher.Norm.running_var!);
        var studentMean = Values(s.Student.Norm.running_mean!);
        var optimizer = optim.Adam(distiller.TrainableParameters(), 0.01);

        distiller.Train();
        s.Teacher.train();   // someone switches everything to training mode after that: each step must undo it for the teacher
        s.Student.train();
        for (int step = 0; step < 3; step++)
        {
            optimizer.zero_grad();
            distiller.Step(s.StudentInput, s.TeacherInput, s.Targets).Total.backward();
            optimizer.step();
        }

        Assert.False(s.Teacher.training);
        Assert.Equal(teacherMean, Values(s.Teacher.Norm.running_mean!));
        Assert.Equal(teacherVar, Values(s.Teacher.Norm.running_var!));
        Assert.True(s.Student.training);
        Assert.NotEqual(studentMean, Values(s.Student.Norm.running_mean!));   // the same check would notice a training BatchNorm
    }

    [Fact]
    public void TotalIsTaskPlusWeightedTermsAndEveryTermIsNamed()
    {
        var s = NewSetup(3);
        var kd = new KnowledgeDistillationLoss(2.0);
        var probe = new ProbeLoss(4, 8);
        var distiller = Distiller.Create(s.Student, s.Teacher, CrossEntropy, new DistillationTerm(kd, 0.5), new DistillationTerm(probe, 2.0));

        var step = distiller.Step(s.StudentInput, s.TeacherInput, s.Targets);

        Assert.Equal(["kd", "probe", "task"], step.Terms.Keys.Order());
        var values = step.Values();
        Tolerance.AssertClose(values["task"] + 0.5 * values["kd"] + 2.0 * values["probe"], step.Total.item<float>(), rel: 1e-6, what: "total");
        // The task term is the task loss of the student's output, recomputed here.
        using (no_grad())
            Tolerance.AssertClose(CrossEntropy(s.Student.forward(s.StudentInput), s.Targets).item<float>(), values["task"], rel: 1e-6, what: "task");
        Assert.True(values["kd"] > 0 && values["probe"] > 0);
    }

    [Fact]
    public void TrainableParametersAreStudentAndLossParametersEachOnceNeverTheTeachers()
    {
        var s = NewSetup(4);
        var probe = new ProbeLoss(4, 8, shared: s.Student.Head);
        var holdsTeacher = new ProbeLoss(4, 8, shared: s.Teacher.Head, name: "probe2");
        var distiller = Distiller.Create(s.Student, s.Teacher, CrossEntropy, new DistillationTerm(probe, 1.0), new DistillationTerm(holdsTeacher, 1.0));

        var trainable = distiller.TrainableParameters().ToList();

        var expected = s.Student.parameters().Concat(probe.Regressor.parameters()).Concat(holdsTeacher.Regressor.parameters()).ToList();
        Assert.Equal(expected.Count, trainable.Count);
        Assert.All(expected, p => Assert.Contains(trainable, q => ReferenceEquals(p, q)));
        Assert.DoesNotContain(trainable, p => s.Teacher.parameters().Any(t => ReferenceEquals(p, t)));
    }

    [Fact]
    public void OptimizerStepMovesStudentAndLossButNotTeacher()
    {
        var s = NewSetup(5);
        var probe = new ProbeLoss(4, 8);
        var distiller = Distiller.Create(s.Student, s.Teacher, CrossEntropy, new DistillationTerm(probe, 1.0));
        var teacherBefore = s.Teacher.parameters().Select(Values).ToList();
        var studentBefore = Values(s.Student.Head.weight!);
        var probeBefore = Values(probe.Regressor.weight!);
        var optimizer = optim.SGD(distiller.TrainableParameters(), 0.1);

        distiller.Step(s.StudentInput, s.TeacherInput, s.Targets).Total.backward();
        optimizer.step();

        Assert.Equal(teacherBefore, s.Teacher.parameters().Select(Values).ToList());
        Assert.NotEqual(studentBefore, Values(s.Student.Head.weight!));
        Assert.NotEqual(probeBefore, Values(probe.Regressor.weight!));
    }

    [Fact]
    public void DuplicateOrReservedNamesAreRejected()
    {
        var s = NewSetup(6);
        var duplicate = Assert.Throws<ArgumentException>(() => Distiller.Create(s.Student, s.Teacher, CrossEntropy,
            new DistillationTerm(new KnowledgeDistillationLoss(4), 1.0), new DistillationTerm(new KnowledgeDistillationLoss(2), 1.0)));
        Assert.Contains("both named 'kd'", duplicate.Message);
        var reserved = Assert.Throws<ArgumentException>(() => Distiller.Create(s.Student, s.Teacher, CrossEntropy,
            new DistillationTerm(new RenamedLoss(new KnowledgeDistillationLoss(), "task"), 1.0)));
        Assert.Contains("reserved", reserved.Message);
    }

    [Fact]
    public void BadWeightsAndSameModelAreRejected()
    {
        var s = NewSetup(7);
        Assert.Throws<ArgumentOutOfRangeException>(() => Distiller.Create(s.Student, s.Teacher, CrossEntropy, new DistillationTerm(new KnowledgeDistillationLoss(), -1.0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => Distiller.Create(s.Student, s.Teacher, CrossEntropy, new DistillationTerm(new KnowledgeDistillationLoss(), double.NaN)));
        Assert.Throws<ArgumentException>(() => Distiller.Create(s.Student, s.Student, CrossEntropy));
    }

    [Fact]
    public void MismatchedBatchesAreRejected()
    {
        var s = NewSetup(8);
        var distiller = Distiller.Create(s.Student, s.Teacher, CrossEntropy, new DistillationTerm(new KnowledgeDistillationLoss(), 1.0));
        var teacher = Assert.Throws<ArgumentException>(() => distiller.Step(s.StudentInput, s.TeacherInput[..8], s.Targets));
        Assert.Contains("batch sizes differ (8 vs 16)", teacher.Message);
        Assert.Throws<ArgumentException>(() => distiller.Step(s.StudentInput, s.TeacherInput, s.Targets[..8]));
        Assert.Throws<ArgumentException>(() => distiller.Step(s.StudentInput, s.TeacherInput, s.Targets, arange(3)));
    }

    [Fact]
    public void TermComputedFromCopiedScoresIsRefused()
    {
        // The seed's second bug caught at run time: a term without gradient cannot train the student.
        var s = NewSetup(9);
        var copied = new CopiedScoresKd();
        var distiller = Distiller.Create(s.Student, s.Teacher, CrossEntropy, new DistillationTerm(copied, 1.0));
        var error = Assert.Throws<InvalidOperationException>(() => distiller.Step(s.StudentInput, s.TeacherInput, s.Targets));
        Assert.Contains("no gradient", error.Message);
        using (no_grad())   // evaluation without gradients is fine
            Assert.True(distiller.Step(s.StudentInput, s.TeacherInput, s.Targets).Values()["kd_copied"] > 0);
    }

    private sealed class CopiedScoresKd() : DistillationLoss(nameof(CopiedScoresKd))
    {
        public override string Name => "kd_copied";

        public override Tensor Compute(DistillationContext context)
            => SeedPitfalls.KdFromCopiedScores(context.Student.Output, context.Teacher.Output);
    }
}
