using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Losses.Crd;
using Distill.Models;
using Distill.Training;
using static TorchSharp.torch;

namespace Distill.Tests.Training;

/// <summary>CRD+KD students, Z tracing and CRD embeddings on the breast-cancer task with a small teacher.</summary>
public sealed class CrdTrainingTests
{
    private static readonly TrainingOptions Options = new(Epochs: 2, BatchSize: 64, EarlyStoppingPatience: 5);
    private static readonly Lazy<(TeacherStudentData Data, Mlp Teacher)> Setup = new(() =>
    {
        var data = TeacherStudentData.BreastCancer(seed: 0);
        var (teacher, _) = TabularDistillation.TrainTeacher(data, [32, 16], Options, seed: 0);
        return (data, teacher);
    });

    private static int StepsPerEpoch(TeacherStudentData data) => (int)Math.Ceiling(data.Train.Count / 64.0);

    [Fact]
    public void LabelsJoinTheDistillingMethods()
    {
        Assert.Equal("None", TabularDistillationCombined.Label([DistillationMethod.None]));
        Assert.Equal("None", TabularDistillationCombined.Label([]));
        Assert.Equal("Crd+Kd", TabularDistillationCombined.Label([DistillationMethod.Crd, DistillationMethod.Kd]));
    }

    [Fact]
    public void OneMethodCombinationReproducesTheOneMethodStudent()
    {
        var (data, teacher) = Setup.Value;
        var single = TabularDistillation.TrainStudent(data, teacher, DistillationMethod.Crd, [8], Options, seed: 3);
        var combined = TabularDistillationCombined.Train(data, teacher,
            TabularDistillationCombined.Prepare(data, teacher, [DistillationMethod.Crd], [8], seed: 3), Options);
        Assert.Equal("Crd", combined.Label);
        Assert.Equal(single.Test.Scores, combined.Test.Scores);
        Assert.Equal(single.Training.History.Select(r => r.TrainTerms["crd"]), combined.Training.History.Select(r => r.TrainTerms["crd"]));
    }

    [Fact]
    public void CrdPlusKdTrainsBothTermsAndTheEmbeddingHeadsButNotTheTeacher()
    {
        var (data, teacher) = Setup.Value;
        var teacherBefore = teacher.parameters().Select(p => p.detach().clone()).ToArray();
        var prepared = TabularDistillationCombined.Prepare(data, teacher, [DistillationMethod.Crd, DistillationMethod.Kd], [8], seed: 1);
        var crd = prepared.Loss<CrdLoss>();
        var headBefore = crd.StudentEmbed.parameters().Concat(crd.TeacherEmbed.parameters()).Select(p => p.detach().clone()).ToArray();

        var run = TabularDistillationCombined.Train(data, teacher, prepared, Options);

        Assert.Equal("Crd+Kd", run.Label);
        Assert.Equal(["task", "crd", "bkd"], run.Training.History[0].TrainTerms.Keys);
        Assert.All(run.Training.History[0].TrainTerms.Values, v => Assert.True(v > 0));
        var headAfter = crd.StudentEmbed.parameters().Concat(crd.TeacherEmbed.parameters()).ToArray();
        Assert.All(headBefore.Zip(headAfter), p => Assert.False(p.First.allclose(p.Second, 0, 0), "CRD's embedding heads must be trained"));
        Assert.All(teacherBefore.Zip(teacher.parameters()), p => Assert.True(p.First.allclose(p.Second, 0, 0), "the teacher must stay frozen"));
        Assert.Throws<InvalidOperationException>(() => prepared.Loss<CrdZTrace>());
    }

    [Theory]
    [InlineData(ZPolicy.FixedFromFirstBatch)]
    [InlineData(ZPolicy.RunningEstimate)]
    public void ZTraceRecordsZAfterEveryStep(ZPolicy policy)
    {
        var (data, teacher) = Setup.Value;
        var prepared = TabularDistillationCombined.Prepare(data, teacher, "traced", [8], seed: 2,
            pair => [TabularDistillationCombined.TracedCrdTerm(pair, new CrdOptions(Z: policy))]);
        var trace = prepared.Loss<CrdZTrace>();
        Assert.Equal("crd", trace.Name);
        TabularDistillationCombined.Train(data, teacher, prepared, Options);

        var history = trace.History;
        Assert.Equal(Options.Epochs * StepsPerEpoch(data), history.Count);
        Assert.Equal(Enumerable.Range(1, history.Count), history.Select(r => r.Step));
        Assert.All(history, r => Assert.True(r.Student > 0 && r.Teacher > 0));
        Assert.Equal((history[^1].Student, history[^1].Teacher), trace.Crd.Memory.Z);
        bool moved = history.Any(r => r.Student != history[0].Student || r.Teacher != history[0].Teacher);
        Assert.Equal(policy == ZPolicy.RunningEstimate, moved);
    }

    [Fact]
    public void TracedCrdTermKeepsTheHeadsTrainableAndCapsK()
    {
        var (data, teacher) = Setup.Value;
        var prepared = TabularDistillationCombined.Prepare(data, teacher, "traced", [8], seed: 2,
            pair => [TabularDistillationCombined.TracedCrdTerm(pair, new CrdOptions())]);
        var crd = prepared.Loss<CrdZTrace>().Crd;
        Assert.Equal((int)data.Train.Count - 1, crd.Options.Negatives);
        Assert.Equal(MlpDistillation.DefaultWeight(DistillationMethod.Crd), prepared.Terms[0].Weight);
        var distiller = Distiller.Create(prepared.Student, teacher, ClassificationTask.For(2).Loss, prepared.Terms);
        long expected = prepared.Student.parameters().Count() + crd.parameters().Count();
        Assert.Equal(expected, distiller.TrainableParameters().Count());
    }

    [Fact]
    public void EmbeddingsAreUnitRowsOfEverySampleAndRestoreTrainingModes()
    {
        var (data, teacher) = Setup.Value;
        var prepared = TabularDistillationCombined.Prepare(data, teacher, [DistillationMethod.Crd], [8], seed: 4);
        prepared.Student.train();
        var embeddings = CrdEmbeddings.Of(prepared.Loss<CrdLoss>(), prepared.Student, teacher, data.Test);
        Assert.Equal([data.Test.Count, 128L], embeddings.Student.shape);
        Assert.Equal([data.Test.Count, 128L], embeddings.Teacher.shape);
        Assert.True(allclose(embeddings.Student.norm(1), ones(data.Test.Count), 1e-5, 1e-5));
        Assert.True(allclose(embeddings.Teacher.norm(1), ones(data.Test.Count), 1e-5, 1e-5));
        Assert.False(embeddings.Student.requires_grad);
        Assert.True(prepared.Student.training);
        Assert.False(teacher.training);
    }

    [Fact]
    public void SummaryHasOneRowPerCombinationInOrder()
    {
        var (data, teacher) = Setup.Value;
        var runs = TabularDistillationCombined.CompareCombinations(data, teacher,
            [[DistillationMethod.None], [DistillationMethod.Crd, DistillationMethod.Kd]], [8], Options with { Epochs = 1 }, [1, 2]);
        var table = TabularDistillationCombined.Summarise(runs, ["auc", "f1"]);
        Assert.Equal(["None", "Crd+Kd"], table.Select(r => r.Method));
        Assert.Equal(2, table[1].Metrics["auc"].Count);
        var crdKd = runs.Where(r => r.Label == "Crd+Kd").Select(r => r.Test.Metrics["auc"]).ToArray();
        Assert.Equal(crdKd.Average(), table[1].Metrics["auc"].Mean, 12);
    }
}
