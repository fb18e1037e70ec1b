using Distill.Data.Tabular;
using Distill.Distillation;
using Distill.Losses;
using Distill.Models;
using Distill.Runtime;
using Distill.Training;
using static TorchSharp.torch;

namespace Distill.Tests.Distillation;

/// <summary>The teacher-pass cache of the tabular path: the <see cref="Distiller"/> reads the frozen teacher's pass on the
/// training rows by row index, with the values of a live pass, and keeps the teacher live for a term that does not declare.</summary>
public sealed class TabularTeacherPassCacheTests
{
    private static readonly Lazy<(TeacherStudentData Data, Mlp Teacher)> Setup = new(() =>
    {
        var data = TeacherStudentData.BreastCancer(seed: 0);
        var (teacher, _) = TabularDistillation.TrainTeacher(data, [16, 12], new TrainingOptions(Epochs: 2, BatchSize: 32), seed: 0);
        return (data, teacher);
    });

    [Fact]
    public void ACachedAndAnUncachedStudentAreBitIdenticalAfterThreeEpochs()
    {
        var cached = Train("kd+fitnet", cache: true, out var cachedLosses, out var usedCache);
        var live = Train("kd+fitnet", cache: false, out var liveLosses, out var usedLive);

        Assert.True(usedCache, "the cached run ran the teacher live");
        Assert.False(usedLive, "the uncached run read a cache");
        Assert.Equal(liveLosses, cachedLosses);
        Assert.Equal(live.Length, cached.Length);
        for (int i = 0; i < live.Length; i++)
            Assert.True(cached[i].equal(live[i]).all().item<bool>(), $"trained parameter {i} (student or FitNet regressor) differs between the cached and the uncached run");
    }

    // Every registry method that declares what it reads: a declaration that left out a part the loss reads would throw, and
    // one that named another block would give other values.
    [Theory]
    [InlineData("soft-ce")]
    [InlineData("dkd")]
    [InlineData("at")]
    [InlineData("sp")]
    [InlineData("rkd")]
    [InlineData("pkt")]
    [InlineData("cc")]
    [InlineData("vid")]
    [InlineData("ft")]
    [InlineData("crd")]
    public void EveryDeclaringMethodTrainsTheSameStudentFromTheCache(string spec)
    {
        var cached = Train(spec, cache: true, out var cachedLosses, out var usedCache, epochs: 2);
        var live = Train(spec, cache: false, out var liveLosses, out _, epochs: 2);

        Assert.True(usedCache, $"{spec} ran the teacher live");
        Assert.Equal(liveLosses, cachedLosses);
        for (int i = 0; i < live.Length; i++)
            Assert.True(cached[i].equal(live[i]).all().item<bool>(), $"{spec}: trained parameter {i} differs between the cached and the uncached run");
    }

    [Fact]
    public void ACachedStepReadsTheRowsOfItsIndicesWhateverTheirOrder()
    {
        var (data, teacher) = Setup.Value;
        using var scope = NewDisposeScope();
        // The training rows numbered by a permutation, as a split renumbered in another order would be.
        var permutation = randperm(data.Train.Count, ScalarType.Int64, device: data.Train.Indices.device, generator: new Generator(3));
        var train = data.Train with { Indices = permutation };
        Reproducibility.Seed(4);
        var (distiller, _) = Build(data, teacher, "kd+fitnet", out var probe);
        distiller.Train();
        var batch = train.Rows(tensor(new long[] { 17, 0, 5, 3, 111, 42, 6, 250 }, device: train.Indices.device));

        var live = Values(distiller.Step(batch.StudentInput, batch.TeacherInput, batch.Targets, batch.Indices));
        Assert.False(probe.Cached);
        using (distiller.CacheTeacher(train.StudentInput, train.TeacherInput, train.Indices, batchSize: 8))
        {
            var cached = Values(distiller.Step(batch.StudentInput, batch.TeacherInput, batch.Targets, batch.Indices));
            Assert.True(probe.Cached, "the step ran the teacher live although its pass was cached");
            Assert.Equal(live, cached);
        }
        probe.Cached = false;
        Assert.Equal(live, Values(distiller.Step(batch.StudentInput, batch.TeacherInput, batch.Targets, batch.Indices)));
        Assert.False(probe.Cached, "after the cache was released the step still read it");
    }

    [Fact]
    public void IndicesThatAreNotTheRowNumbersCannotBeCached()
    {
        var (data, teacher) = Setup.Value;
        using var scope = NewDisposeScope();
        var (distiller, _) = Build(data, teacher, "kd", out _);
        var error = Assert.Throws<ArgumentException>(() => distiller.CacheTeacher(data.Train.StudentInput, data.Train.TeacherInput, data.Train.Indices + 1, batchSize: 64));
        Assert.Contains("not 0..", error.Message);
        Assert.Contains("CacheTeacherPasses", error.Message);
    }

    [Theory]
    [InlineData("kd+ofd")] // OFD reads the teacher's pre-activations, which are never cached
    [InlineData("kd+ab")]
    public void ATermThatDoesNotDeclareWhatItReadsKeepsTheLiveTeacher(string spec)
    {
        var (data, teacher) = Setup.Value;
        using var scope = NewDisposeScope();
        var (distiller, _) = Build(data, teacher, spec, out _);
        Assert.Null(distiller.CacheTeacher(data.Train.StudentInput, data.Train.TeacherInput, data.Train.Indices, batchSize: 64));

        Train(spec, cache: true, out _, out var usedCache);
        Assert.False(usedCache, $"{spec} read a cached teacher pass");
    }

    [Fact]
    public void AnUndeclaredTermAmongDeclaredOnesKeepsTheLiveTeacherAndAWrapperReadsWhatItsInnerLossReads()
    {
        var (data, teacher) = Setup.Value;
        using var scope = NewDisposeScope();
        var student = new Mlp([data.StudentView.Columns.Count, 8], 1, "student", DistillDevice.Current);
        var kd = new DistillationTerm(new BinaryKnowledgeDistillationLoss(), 1);
        var undeclared = Distiller.Create(student, teacher, ClassificationTask.For(2).Loss, kd, new DistillationTerm(new RenamedLoss(new KnowledgeDistillationLoss(), "kd2"), 1));
        Assert.Null(undeclared.CacheTeacher(data.Train.StudentInput, data.Train.TeacherInput, data.Train.Indices, batchSize: 64));

        var wrapped = Distiller.Create(student, teacher, ClassificationTask.For(2).Loss, new DistillationTerm(new BinaryAsTwoClassLoss(new DecoupledKnowledgeDistillationLoss()), 1));
        using var handle = wrapped.CacheTeacher(data.Train.StudentInput, data.Train.TeacherInput, data.Train.Indices, batchSize: 64);
        Assert.NotNull(handle);
        var wrappedUndeclared = Distiller.Create(student, teacher, ClassificationTask.For(2).Loss, new DistillationTerm(new BinaryAsTwoClassLoss(new RenamedLoss(new DecoupledKnowledgeDistillationLoss(), "dkd")), 1));
        Assert.Null(wrappedUndeclared.CacheTeacher(data.Train.StudentInput, data.Train.TeacherInput, data.Train.Indices, batchSize: 64));
    }

    // Some epochs of the spec's student with SupervisedTrainer; returns the trained parameters (student, then the terms'),
    // each epoch's training loss and whether the teacher's pass came from the cache.
    private static Tensor[] Train(string spec, bool cache, out double[] losses, out bool usedCache, int epochs = 3)
    {
        var (data, teacher) = Setup.Value;
        Reproducibility.Seed(5);
        var (distiller, student) = Build(data, teacher, spec, out var probe);
        var objective = new DistillationObjective(student, distiller, ClassificationTask.For(data.ClassCount));
        var result = new SupervisedTrainer(new TrainingOptions(Epochs: epochs, BatchSize: 32, EarlyStoppingPatience: 10, CacheTeacherPasses: cache))
            .Fit(objective, data.Train, data.Validation, seed: 5);
        losses = result.History.Select(r => r.TrainLoss).ToArray();
        usedCache = probe.Cached;
        return distiller.TrainableParameters().Select(p => p.detach().clone()).ToArray();
    }

    private static (Distiller Distiller, Mlp Student) Build(TeacherStudentData data, Mlp teacher, string spec, out CacheProbe probe)
    {
        var task = ClassificationTask.For(data.ClassCount);
        var student = new Mlp([data.StudentView.Columns.Count, 10, 8], task.OutputCount, "student", DistillDevice.Current);
        var pair = new MlpPair(student, teacher, data.ClassCount, data.Train.TeacherInput, data.Train.Targets);
        probe = new CacheProbe();
        return (Distiller.Create(student, teacher, task.Loss, [.. MethodSpec.Parse(spec).Build(pair), new DistillationTerm(probe, 0.0)]), student);
    }

    private static double[] Values(DistillationStep step)
        => step.Terms.Values.Prepend(step.Total).Select(t => t.detach().cpu().to(ScalarType.Float64).item<double>()).ToArray();

    // Reads only the teacher's output and records whether the teacher's pass was a cache's, which holds no pre-activations.
}
