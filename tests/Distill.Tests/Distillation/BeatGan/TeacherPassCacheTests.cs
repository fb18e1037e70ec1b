using Distill.Tests.Distillation;
using Distill.Distillation;
using Distill.Distillation.BeatGan;
using Distill.Losses;
using Distill.Losses.BeatGan;
using Distill.Losses.Feature;
using Distill.Models;
using Distill.Models.BeatGan;
using Distill.Runtime;
using Distill.Tests.Training.BeatGan;
using Distill.Training.BeatGan;
using static TorchSharp.torch;

namespace Distill.Tests.Distillation.BeatGan;

public class TeacherPassCacheTests
{
    private static readonly BeatGanKdTerm[] Cacheable =
        [BeatGanKdTerm.Reconstruction, BeatGanKdTerm.AnomalyScore, BeatGanKdTerm.Latent, BeatGanKdTerm.EncoderAttention,
         BeatGanKdTerm.DiscriminatorAttention, BeatGanKdTerm.LatentContrastive];

    [Fact]
    public void AReadGivesWhatALivePassGivesOnTheSameRowsAndNotAnotherRowsValues()
    {
        using var scope = NewDisposeScope();
        Reproducibility.Seed(21);
        var teacher = new BeatGanGenerator(BeatGanKdTermsTests.TeacherSizes);
        teacher.eval();
        var beats = SyntheticBeats.Normal(20, 3);
        using var cache = TeacherPassCache.Build(teacher, beats, new TeacherPassParts(true, [BeatGanGenerator.LatentIndex, -1]), chunk: 6);
        var rows = tensor(new long[] { 13, 2, 19, 2, 7, 0 });

        var read = cache.Read(rows);
        FeatureOutput live;
        using (no_grad()) live = teacher.ForwardFeatures(beats.index_select(0, rows));

        Assert.True(read.Output.equal(live.Output).all().item<bool>(), "cached reconstruction differs from the live one");
        Assert.True(read.Features[BeatGanGenerator.LatentIndex].equal(live.Features[BeatGanGenerator.LatentIndex]).all().item<bool>(), "cached latent code differs");
        Assert.True(read.Features[^1].equal(live.Features[^1]).all().item<bool>(), "cached last feature differs");
        Assert.Equal(live.Features.Count, read.Features.Count);
        Assert.Equal(20, cache.Rows);
        long perRow = live.Output[0].numel() + BeatGanKdTermsTests.TeacherSizes.LatentSize + live.Features[^1][0].numel();
        Assert.Equal(20 * perRow * sizeof(float), cache.Bytes);
    }

    [Fact]
    public void AttentionMapsAreCachedAsTheirSummariesAndReadAsALivePassComputesThemOnTheSameRows()
    {
        using var scope = NewDisposeScope();
        Reproducibility.Seed(23);
        var teacher = new BeatGanGenerator(BeatGanKdTermsTests.TeacherSizes);
        var student = new BeatGanGenerator(BeatGanKdTermsTests.StudentSizes);
        teacher.eval();
        var at = new AttentionTransferLoss(Enumerable.Range(0, BeatGanOptions.DownsamplingBlocks).Select(k => new LayerPair(k, k)).ToArray());
        var dat = new DiscriminatorAttentionTransferLoss(new BeatGanDiscriminator(BeatGanKdTermsTests.TeacherSizes));
        var parts = at.TeacherParts.Union(dat.TeacherParts);
        var beats = SyntheticBeats.Normal(20, 5);
        using var cache = TeacherPassCache.Build(teacher, beats, parts, FeatureShapes.Of(student, beats), chunk: 6);
        var rows = tensor(new long[] { 17, 3, 3, 11, 0, 19 });
        var batch = beats.index_select(0, rows);
        var studentPass = student.ForwardFeatures(batch);
        FeatureOutput live;
        using (no_grad()) live = teacher.ForwardFeatures(batch);

        var cached = cache.Context(studentPass, batch, rows);
        var computed = new DistillationContext(studentPass, live, batch, rows);
        Assert.False(parts.Output);
        Assert.Empty(parts.Features); // the maps only: neither the features nor the reconstruction are kept
        long perRow = 0;
        foreach (var summary in parts.Summaries)
        {
            var fromCache = cached.TeacherSummary(summary);
            Assert.True(fromCache.equal(computed.TeacherSummary(summary)).all().item<bool>(), $"cached summary '{summary.Key}' differs from the live one on the same rows");
            perRow += fromCache[0].numel();
        }
        Assert.Equal(20 * perRow * sizeof(float), cache.Bytes);
        Assert.Equal(at.Compute(computed).item<float>(), at.Compute(cached).item<float>());
        Assert.Equal(dat.Compute(computed).item<float>(), dat.Compute(cached).item<float>());
        Assert.Contains("TeacherParts", Assert.Throws<InvalidOperationException>(() => cached.TeacherSummary(new TeacherSummary("other", (t, _) => t.Output))).Message);
        Assert.Throws<ArgumentNullException>(() => TeacherPassCache.Build(teacher, beats, parts));
    }

    [Fact]
    public void AMapCachedForANarrowerStudentIsTheTeacherFeaturePooledToTheStudentsWidth()
    {
        using var scope = NewDisposeScope();
        Reproducibility.Seed(24);
        var teacher = new Mlp([5, 32, 24], outputs: 2);
        var student = new Mlp([5, 12, 6], outputs: 2);
        teacher.eval();
        var at = new AttentionTransferLoss([new LayerPair(0, 0), new LayerPair(-1, -1)]);
        var inputs = randn(30, 5);
        using var cache = TeacherPassCache.Build(teacher, inputs, at.TeacherParts, FeatureShapes.Of(student, inputs), chunk: 4);
        var rows = tensor(new long[] { 29, 4, 4, 13 });
        var batch = inputs.index_select(0, rows);
        var studentPass = student.ForwardFeatures(batch);
        FeatureOutput live;
        using (no_grad()) live = teacher.ForwardFeatures(batch);

        var cached = cache.Context(studentPass, batch, rows);
        Assert.Equal([4L, 12], cached.TeacherSummary(at.TeacherParts.Summaries[0]).shape);
        Assert.Equal(at.Compute(new DistillationContext(studentPass, live, batch, rows)).item<float>(), at.Compute(cached).item<float>());
    }

    [Fact]
    public void APartTheTermsDidNotDeclareCannotBeReadAndATrainingModeTeacherCannotBeCached()
    {
        using var scope = NewDisposeScope();
        var teacher = new BeatGanGenerator(BeatGanKdTermsTests.TeacherSizes);
        var beats = SyntheticBeats.Normal(4, 1);
        teacher.train();
        Assert.Contains("eval()", Assert.Throws<InvalidOperationException>(() => TeacherPassCache.Build(teacher, beats, TeacherPassParts.OutputOnly)).Message);
        teacher.eval();
        using var cache = TeacherPassCache.Build(teacher, beats, TeacherPassParts.OutputOnly);
        var read = cache.Read(tensor(new long[] { 1 }));
        Assert.Contains("TeacherParts", Assert.Throws<InvalidOperationException>(() => read.Features[BeatGanGenerator.LatentIndex]).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => TeacherPassCache.Build(teacher, beats, new TeacherPassParts(false, [99])));
    }

    [Fact]
    public void ACachedAndAnUncachedStudentAreBitIdenticalAfterTwoEpochs()
    {
        var cached = Train(cache: true, out var usedCache);
        var live = Train(cache: false, out var usedLive);

        Assert.True(usedCache, "the cached run ran the teacher live");
        Assert.False(usedLive, "the uncached run read a cache");
        Assert.Equal(live.Length, cached.Length);
        for (int i = 0; i < live.Length; i++)
            Assert.True(cached[i].equal(live[i]).all().item<bool>(), $"student parameter {i} differs between the cached and the uncached run");
    }

    // Two epochs of three steps with every cacheable term; returns the student's parameters and whether the teacher pass came from the cache.
    private static Tensor[] Train(bool cache, out bool usedCache)
    {
        Reproducibility.Seed(8);
        var teacher = new BeatGanGenerator(BeatGanKdTermsTests.TeacherSizes);
        var teacherD = new BeatGanDiscriminator(BeatGanKdTermsTests.TeacherSizes);
        var student = new BeatGanGenerator(BeatGanKdTermsTests.StudentSizes);
        var terms = Cacheable.Select(t => new DistillationTerm(
            BeatGanKdTerms.Create(t, BeatGanKdTermsTests.StudentSizes, BeatGanKdTermsTests.TeacherSizes, teacherD, trainBeats: 24), 1.0)).ToList();
        var probe = new CacheProbe();
        terms.Add(new DistillationTerm(probe, 0.0));
        var trainer = new BeatGanStudentTrainer(student, new BeatGanDiscriminator(BeatGanKdTermsTests.StudentSizes), teacher, terms,
            new BeatGanStudentOptions(new BeatGanTrainingOptions(Epochs: 2, BatchSize: 8, LearningRate: 5e-3), CacheTeacherPasses: cache));
        trainer.Fit(SyntheticBeats.Normal(24, 4));
        usedCache = probe.Cached;
        return student.parameters().Select(p => p.detach().clone()).ToArray();
    }

    // Reads only the teacher's output, and records whether the teacher's features were a cache's (which refuses undeclared reads).
}
