using Distill.Losses.Crd;
using Distill.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Crd;

public class ContrastiveIndexSamplerTests
{
    private const long DataCount = 60;
    private static Tensor Labels() => torch.arange(DataCount, device: DistillDevice.Current).remainder(3); // 20 rows per class
    private static Tensor Rows() => torch.tensor(new long[] { 0, 7, 14, 22, 35, 59 }, device: DistillDevice.Current);

    [Fact]
    public void ExactPositiveIsTheRowItself()
    {
        using var sampler = new ContrastiveIndexSampler(DataCount, 5, PositiveSampling.Exact, labels: Labels(), device: DistillDevice.Current);
        var drawn = sampler.Sample(Rows());
        Assert.True(Same.Tensors(drawn.Positives, Rows()));
    }

    [Fact]
    public void RelaxPositiveHasTheRowsClassAndIsNotAlwaysTheRow()
    {
        torch.manual_seed(8);
        var labels = Labels();
        using var sampler = new ContrastiveIndexSampler(DataCount, 5, PositiveSampling.Relax, labels: labels, device: DistillDevice.Current);
        var rows = Rows().repeat(20); // 120 draws
        var positives = sampler.Sample(rows).Positives;
        Assert.True(Same.Tensors(labels.index_select(0, positives), labels.index_select(0, rows)), "a relax positive has another class");
        Assert.True(positives.ne(rows).any().item<bool>(), "relax always returned the row itself");
    }

    [Fact]
    public void PerRowNegativesComeFromOtherClassesWithoutRepeats()
    {
        torch.manual_seed(9);
        var labels = Labels();
        using var sampler = new ContrastiveIndexSampler(DataCount, 40, labels: labels, device: DistillDevice.Current); // all 40 rows of the other classes
        var rows = Rows();
        var negatives = sampler.Sample(rows).Negatives;
        Assert.Equal(new long[] { rows.shape[0], 40 }, negatives.shape);
        Assert.False(sampler.SamplesWithReplacement);
        Assert.Null(sampler.Warning);
        var own = labels.index_select(0, rows).unsqueeze(1);
        Assert.False(labels.index_select(0, negatives.flatten()).view(negatives.shape).eq(own).any().item<bool>(), "a negative shares the anchor's class");
        for (long b = 0; b < rows.shape[0]; b++)
            Assert.Equal(40, negatives[b].unique().Item1.shape[0]);
    }

    [Fact]
    public void MoreNegativesThanOtherClassRowsDrawWithReplacementAndWarn()
    {
        torch.manual_seed(10);
        var labels = Labels();
        using var sampler = new ContrastiveIndexSampler(DataCount, 1000, labels: labels, device: DistillDevice.Current);
        Assert.True(sampler.SamplesWithReplacement);
        Assert.Contains("with replacement", sampler.Warning);
        var rows = Rows();
        var negatives = sampler.Sample(rows).Negatives;
        Assert.Equal(new long[] { rows.shape[0], 1000 }, negatives.shape);
        var own = labels.index_select(0, rows).unsqueeze(1);
        Assert.False(labels.index_select(0, negatives.flatten()).view(negatives.shape).eq(own).any().item<bool>(), "a negative shares the anchor's class");
        Assert.Equal(40, negatives[0].unique().Item1.shape[0]); // 1000 uniform draws from 40 rows miss one with p < 40·(39/40)^1000 < 1e-9
    }

    [Fact]
    public void UnlabelledNegativesAreUniformOverTheDataSet()
    {
        torch.manual_seed(11);
        using var sampler = new ContrastiveIndexSampler(DataCount, 200, device: DistillDevice.Current);
        Assert.True(sampler.SamplesWithReplacement);
        Assert.Contains("200 negatives exceed the 60 rows", sampler.Warning);
        var negatives = sampler.Sample(Rows()).Negatives;
        Assert.Equal(new long[] { 6, 200 }, negatives.shape);
        Assert.True(negatives.min().item<long>() >= 0 && negatives.max().item<long>() < DataCount);
    }

    [Fact]
    public void SharedNegativesAreOneSetForTheBatch()
    {
        using var sampler = new ContrastiveIndexSampler(DataCount, 16, negativeSampling: NegativeSampling.Shared, labels: Labels(), device: DistillDevice.Current);
        var drawn = sampler.Sample(Rows());
        Assert.Equal(new long[] { 16 }, drawn.Negatives.shape);
        Assert.True(Same.Tensors(drawn.Positives, Rows()));
    }

    [Fact]
    public void BadArgumentsAreClearErrors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ContrastiveIndexSampler(DataCount, 0));
        Assert.Contains("labels", Assert.Throws<ArgumentException>(() => new ContrastiveIndexSampler(DataCount, 4, PositiveSampling.Relax)).Message);
        Assert.Throws<ArgumentException>(() => new ContrastiveIndexSampler(DataCount, 4, labels: torch.zeros(DataCount, dtype: ScalarType.Int64)));
        using var sampler = new ContrastiveIndexSampler(DataCount, 4, device: DistillDevice.Current);
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Sample(torch.tensor(new long[] { 3, DataCount })));
        Assert.Throws<ArgumentException>(() => sampler.Sample(torch.tensor(new float[] { 3, 4 })));
    }
}
