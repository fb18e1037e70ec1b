using Distill.Distillation;
using Distill.Losses;
using Distill.Losses.Crd;
using Distill.Losses.Feature;
using Distill.Models;
using Distill.Runtime;
using Distill.Tests.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Tests.Distillation;

/// <summary>A user's own modules, wrapped in <see cref="HookedFeatureModel"/>, distilled wherever a library model is: through the
/// <see cref="Distiller"/> with the feature losses, as teacher and as student.</summary>
public class HookedDistillationTests
{
    private const long Batch = 16, Rows = 64, Classes = 3, TeacherInputs = 12, StudentInputs = 6;

    private sealed record Pair(UserNet StudentNet, UserNet TeacherNet, HookedFeatureModel Student, HookedFeatureModel Teacher,
                               Tensor StudentInput, Tensor TeacherInput, Tensor Targets, Tensor Indices);

    private static Pair NewPair(int seed)
    {
        Reproducibility.Seed(seed);
        var teacherNet = new UserNet(TeacherInputs, 16, 12, Classes);
        var studentNet = new UserNet(StudentInputs, 8, 6, Classes);
        teacherNet.to(DistillDevice.Current);
        studentNet.to(DistillDevice.Current);
        var teacherInput = randn([Batch, TeacherInputs]).to(DistillDevice.Current);
        return new Pair(studentNet, teacherNet,
                        new HookedFeatureModel(studentNet, UserNet.FeaturePaths, preActivationPaths: ["layers.1"], name: "student"),
                        new HookedFeatureModel(teacherNet, UserNet.FeaturePaths, preActivationPaths: ["layers.1"], name: "teacher"),
                        teacherInput[.., ..(int)StudentInputs].clone(), teacherInput,
                        (arange(Batch, ScalarType.Int64) % Classes).to(DistillDevice.Current),
                        arange(Batch, ScalarType.Int64).to(DistillDevice.Current));
    }

    private static Tensor CrossEntropy(Tensor output, Tensor targets) => nn.functional.cross_entropy(output, targets);

    private static Parameter Weight(nn.Module net, string path) => net.named_parameters().Single(p => p.name == path).parameter;

    /// <summary>The feature terms of the tabular methods, built from the pair's probed shapes as a user would.</summary>
    public static TheoryData<string> FeatureTerms => new() { "fitnet", "at", "ofd", "sp", "rkd", "crd" };

    private static DistillationLoss Term(string name, Pair pair)
    {
        var student = FeatureShapes.Of(pair.Student, pair.StudentInput);
        var teacher = FeatureShapes.Of(pair.Teacher, pair.TeacherInput);
        LayerPair[] both = [new(0, 0), new(1, 1)];
        var teacherNorm = (BatchNorm1d)pair.TeacherNet.named_modules().Single(m => m.name == "layers.1").module;
        return name switch
        {
            "fitnet" => new FitNetLoss(LayerPair.Last, student.Channels(-1), teacher.Channels(-1)),
            "at" => new AttentionTransferLoss(both),
            "ofd" => new OverhaulDistillationLoss(new LayerPair(0, 0), (int)student.PreActivations[0][1], OverhaulMargins.FromBatchNorm(teacherNorm)),
            "sp" => new SimilarityPreservingLoss(both),
            "rkd" => new RelationalKnowledgeDistillationLoss(LayerPair.Last),
            "crd" => new CrdLoss(student.Channels(-1), teacher.Channels(-1), Rows, new CrdOptions(FeatureDim: 8, Negatives: 16), device: DistillDevice.Current),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no such term in this test"),
        };
    }

    [Theory]
    [MemberData(nameof(FeatureTerms))]
    public void AFeatureTermsGradientReachesTheStudentsHookedLayersAndNeverTheTeacher(string name)
    {
        var pair = NewPair(1);
        var loss = Term(name, pair);
        var distiller = Distiller.Create(pair.Student, pair.Teacher, CrossEntropy, new DistillationTerm(loss, 1.0));

        var step = distiller.Step(pair.StudentInput, pair.TeacherInput, pair.Targets, pair.Indices);
        step.Terms[loss.Name].backward(); // the term alone, without the task loss

        Assert.All(pair.TeacherNet.parameters(), p => Assert.False(p.requires_grad));
        Assert.All(pair.TeacherNet.parameters(), p => Assert.Null(p.grad));
        // The features are layers.2 and layers.4: the layers before them learn from the term, the head after them does not.
        Assert.True(Weight(pair.StudentNet, "layers.0.weight").grad!.abs().sum().item<float>() > 0, $"{name}: no gradient reached layers.0");
        Assert.Null(Weight(pair.StudentNet, "layers.5.weight").grad);
    }

    [Fact]
    public void AHookedTeacherIsFrozenInEvalModeAndKeepsItsBatchNormStatistics()
    {
        var pair = NewPair(2);
        var norm = (BatchNorm1d)pair.TeacherNet.named_modules().Single(m => m.name == "layers.1").module;
        var mean = norm.running_mean!.clone();
        var studentNorm = (BatchNorm1d)pair.StudentNet.named_modules().Single(m => m.name == "layers.1").module;
        var studentMean = studentNorm.running_mean!.clone();
        var distiller = Distiller.Create(pair.Student, pair.Teacher, CrossEntropy, new DistillationTerm(new KnowledgeDistillationLoss(), 1.0),
                                         new DistillationTerm(Term("fitnet", pair), 1.0));
        var optimizer = optim.Adam(distiller.TrainableParameters(), 0.01);

        distiller.Train();
        pair.TeacherNet.train(); // someone puts the user's teacher back in training mode: each step must undo it
        for (int i = 0; i < 3; i++)
        {
            optimizer.zero_grad();
            distiller.Step(pair.StudentInput, pair.TeacherInput, pair.Targets).Total.backward();
            optimizer.step();
        }

        Assert.False(norm.training);
        HookedFeatureModelTests.AssertSame(mean, norm.running_mean!);
        Assert.True(studentNorm.training);
        Assert.False(studentNorm.running_mean!.equal(studentMean).all().item<bool>()); // the same check sees a training BatchNorm
        Assert.DoesNotContain(distiller.TrainableParameters(), p => pair.TeacherNet.parameters().Contains(p));
    }

    [Fact]
    public void DistillerStepsWithHookedModelsLeaveNoTensorAlive()
    {
        var pair = NewPair(3);
        var distiller = Distiller.Create(pair.Student, pair.Teacher, CrossEntropy, new DistillationTerm(new KnowledgeDistillationLoss(), 1.0),
                                         new DistillationTerm(Term("at", pair), 1.0));
        using (NewDisposeScope()) distiller.Step(pair.StudentInput, pair.TeacherInput, pair.Targets).Total.backward();
        long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;

        for (int i = 0; i < 5; i++)
            using (NewDisposeScope())
                distiller.Step(pair.StudentInput, pair.TeacherInput, pair.Targets).Total.backward();

        Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);
    }
}
