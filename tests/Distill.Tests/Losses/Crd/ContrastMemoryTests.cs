using Distill.Losses.Crd;
using Distill.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Crd;

public class ContrastMemoryTests
{
    private const long DataCount = 30, Batch = 5;
    private const int Dim = 8, K = 6;

    private static Tensor UnitRows(long n) => torch.nn.functional.normalize(torch.randn(n, Dim, device: DistillDevice.Current), p: 2, dim: 1);

    [Fact]
    public void InitialBanksAreUniformWithinTheReferenceBound()
    {
        torch.manual_seed(1);
        using var memory = new ContrastMemory(2000, new CrdOptions(FeatureDim: Dim, Negatives: K), device: DistillDevice.Current);
        double bound = 1.0 / Math.Sqrt(Dim / 3.0);
        foreach (var bank in new[] { memory.StudentMemory, memory.TeacherMemory })
        {
            Assert.True(bank.abs().max().item<float>() <= bound);
            Assert.True(bank.abs().max().item<float>() > 0.99 * bound);
            Assert.True(Math.Abs(bank.mean().item<float>()) < 0.01);
        }
    }

    [Theory]
    [InlineData(NegativeSampling.PerRow)]
    [InlineData(NegativeSampling.Shared)]
    public void UpdatedRowsAreUnitNormAndOthersUntouched(NegativeSampling sampling)
    {
        torch.manual_seed(2);
        using var memory = new ContrastMemory(DataCount, new CrdOptions(FeatureDim: Dim, Negatives: K, NegativeSampling: sampling), device: DistillDevice.Current);
        var before = memory.StudentMemory.clone();
        var rows = torch.tensor(new long[] { 4, 11, 0, 29, 17 }, device: DistillDevice.Current);
        using var sampler = new ContrastiveIndexSampler(DataCount, K, negativeSampling: sampling, device: DistillDevice.Current);

        memory.forward(UnitRows(Batch), UnitRows(Batch), rows, sampler.Sample(rows));

        foreach (var bank in new[] { memory.StudentMemory, memory.TeacherMemory })
        {
            var norms = bank.index_select(0, rows).norm(1);
            Assert.True(norms.sub(1).abs().max().item<float>() < 1e-6, "updated rows are not unit norm");
        }
        var untouched = torch.ones(DataCount, dtype: ScalarType.Bool, device: DistillDevice.Current).index_fill_(0, rows, false);
        Assert.True(Same.Tensors(before[untouched], memory.StudentMemory[untouched]), "rows outside the batch changed");
    }

    [Fact]
    public void FixedZIsSetByTheFirstBatchOnly()
    {
        torch.manual_seed(4);
        using var memory = new ContrastMemory(DataCount, new CrdOptions(FeatureDim: Dim, Negatives: K), device: DistillDevice.Current);
        using var sampler = new ContrastiveIndexSampler(DataCount, K, device: DistillDevice.Current);
        Assert.True(double.IsNaN(memory.Z.Student));
        var rows = torch.arange(Batch, device: DistillDevice.Current);
        memory.forward(UnitRows(Batch), UnitRows(Batch), rows, sampler.Sample(rows));
        var first = memory.Z;
        memory.forward(UnitRows(Batch), UnitRows(Batch), rows.add(Batch), sampler.Sample(rows.add(Batch)));
        Assert.Equal(first, memory.Z);
        Assert.True(first.Student > 0 && first.Teacher > 0);
    }

    // 30 rows: per-row scores come from one product with the whole bank; 300 rows (more than 32·(K+1)): from gathered rows.
    [Theory]
    [InlineData(DataCount)]
    [InlineData(300L)]
    public void ScoresAreExpOfDotWithTheOtherViewsBankOverZ(long dataCount)
    {
        torch.manual_seed(5);
        using var memory = new ContrastMemory(dataCount, new CrdOptions(FeatureDim: Dim, Negatives: K, Temperature: 0.5), device: DistillDevice.Current);
        var student = UnitRows(Batch).requires_grad_(true);
        var teacher = UnitRows(Batch);
        var rows = torch.arange(Batch, device: DistillDevice.Current);
        var negatives = torch.randint(0, dataCount, [Batch, K], device: DistillDevice.Current);
        var teacherBank = memory.TeacherMemory.clone();

        var (outStudent, _) = memory.forward(student, teacher, rows, new ContrastIndices(rows, negatives));

        // Every score, and its gradient to the student, recomputed by hand from the bank as it was before the update.
        var chosen = torch.cat([rows.unsqueeze(1), negatives], 1); // [B, K+1]
        var byHand = teacherBank.index_select(0, chosen.flatten()).view(Batch, K + 1, Dim)
            .mul(student.detach().unsqueeze(1)).sum(2).div(0.5).exp().div(memory.Z.Student); // [B, K+1]
        Assert.True(outStudent.detach().allclose(byHand, rtol: 1e-5, atol: 0), "scores differ from exp(m·v/T)/Z");
        var weights = torch.rand(Batch, K + 1, device: DistillDevice.Current);
        outStudent.mul(weights).sum().backward();
        var expectedGradient = teacherBank.index_select(0, chosen.flatten()).view(Batch, K + 1, Dim)
            .mul(byHand.mul(weights).div(0.5).unsqueeze(2)).sum(1); // d/dv of sum w·exp(m·v/T)/Z, Z held constant
        Assert.True(student.grad!.allclose(expectedGradient, rtol: 1e-4, atol: 1e-6), "the gradient to the student differs");
    }
}
