using Distill.Distillation;
using Distill.Losses;
using Distill.Losses.Crd;
using Distill.Models;
using Distill.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Crd;

public class CrdLossTests
{
    private const long DataCount = 40, Batch = 8, StudentDim = 12, TeacherDim = 20;
    private static readonly CrdOptions Small = new(FeatureDim: 16, Negatives: 10);

    private static Tensor Labels() => torch.arange(DataCount, device: DistillDevice.Current).remainder(4);

    private static DistillationContext Context(Tensor student, Tensor teacher, Tensor? rows)
    {
        var none = torch.zeros(Batch, 1, device: DistillDevice.Current);
        // The chosen pair is (0, 0): the other features have the wrong width, so the wrong layer would throw.
        var s = new FeatureOutput(none, [student, torch.zeros(Batch, 3, device: DistillDevice.Current)], []);
        var t = new FeatureOutput(none, [teacher, torch.zeros(Batch, 5, device: DistillDevice.Current)], []);
        return new DistillationContext(s, t, torch.zeros(Batch, dtype: ScalarType.Int64, device: DistillDevice.Current), rows);
    }

    private static Tensor Rows() => torch.tensor(new long[] { 0, 5, 9, 13, 22, 27, 31, 39 }, device: DistillDevice.Current);

    [Theory]
    [InlineData(NegativeSampling.PerRow)]
    [InlineData(NegativeSampling.Shared)]
    public void GradientReachesTheStudentFeatureAndEmbeddingNeverTheTeacher(NegativeSampling sampling)
    {
        torch.manual_seed(3);
        using var crd = new CrdLoss(StudentDim, TeacherDim, DataCount, Small with { NegativeSampling = sampling, Layers = new LayerPair(0, 0) }, Labels(), device: DistillDevice.Current);
        var student = torch.randn(Batch, StudentDim, device: DistillDevice.Current).requires_grad_(true);
        var teacher = torch.randn(Batch, TeacherDim, device: DistillDevice.Current).requires_grad_(true);

        var loss = crd.Compute(Context(student, teacher, Rows()));
        loss.backward();

        Assert.Equal("crd", crd.Name);
        Assert.True(double.IsFinite(loss.item<float>()) && loss.item<float>() > 0);
        Assert.NotNull(student.grad);
        Assert.True(student.grad!.abs().sum().item<float>() > 0, "student feature gets no gradient");
        foreach (var (name, p) in crd.StudentEmbed.named_parameters())
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"embed_s.{name} gets no gradient");
        foreach (var (name, p) in crd.TeacherEmbed.named_parameters())
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"embed_t.{name} gets no gradient");
        Assert.Null(teacher.grad);
        Assert.False(crd.Memory.StudentMemory.requires_grad);
    }

    [Fact]
    public void KIsCappedAtTheOtherRowsOfTheBankByEveryCrdBuilder()
    {
        Assert.Equal(16384, new CrdOptions().CappedTo(50_000).Negatives); // RepDistiller's K from CIFAR-100's 50,000 images
        Assert.Equal(39, new CrdOptions().CappedTo(40).Negatives);
        Assert.Equal(10, Small.CappedTo(40).Negatives);
        Assert.Equal(Small with { Negatives = 1 }, Small.CappedTo(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Small.CappedTo(1));
        // The BeatGAN latent CRD and the tabular CRD both cap through it.
        Assert.Equal(99, Distill.Distillation.BeatGan.BeatGanKdTerms.LatentCrdOptions(100).Negatives);
    }

    [Fact]
    public void EmbeddingsAreTheLossesTrainableParametersAndBanksItsBuffers()
    {
        using var crd = new CrdLoss(StudentDim, TeacherDim, DataCount, Small, device: DistillDevice.Current);
        var parameters = crd.named_parameters().Select(p => p.name).ToHashSet();
        var buffers = crd.named_buffers().Select(b => b.name).ToHashSet();
        Assert.Equal(4, parameters.Count); // weight and bias of both embeddings
        Assert.Contains(buffers, b => b.EndsWith("memory_student"));
        Assert.Contains(buffers, b => b.EndsWith("memory_teacher"));
    }

    [Fact]
    public void MissingRowIndicesAreAClearError()
    {
        using var crd = new CrdLoss(StudentDim, TeacherDim, DataCount, Small, device: DistillDevice.Current);
        var error = Assert.Throws<ArgumentException>(() => crd.Compute(Context(
            torch.randn(Batch, StudentDim, device: DistillDevice.Current), torch.randn(Batch, TeacherDim, device: DistillDevice.Current), null)));
        Assert.Contains("Indices", error.Message);
    }

    [Fact]
    public void RowIndicesOutOfRangeAreAClearError()
    {
        using var crd = new CrdLoss(StudentDim, TeacherDim, DataCount, Small with { Layers = new LayerPair(0, 0) }, device: DistillDevice.Current);
        var rows = Rows();
        rows[3] = torch.tensor(DataCount);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => crd.Compute(Context(
            torch.randn(Batch, StudentDim, device: DistillDevice.Current), torch.randn(Batch, TeacherDim, device: DistillDevice.Current), rows)));
        Assert.Contains($"{DataCount} rows", error.Message);
    }

    [Fact]
    public void ContrastIndicesOutOfRangeAreAClearError()
    {
        using var crd = new CrdLoss(StudentDim, TeacherDim, DataCount, Small, device: DistillDevice.Current);
        var negatives = torch.full(Batch, 10, -1L, device: DistillDevice.Current);
        Assert.Throws<ArgumentOutOfRangeException>(() => crd.forward(torch.randn(Batch, StudentDim, device: DistillDevice.Current),
            torch.randn(Batch, TeacherDim, device: DistillDevice.Current), Rows(), new ContrastIndices(Rows(), negatives)));
    }

    [Fact]
    public void FewerThanOneNegativeIsRejected()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CrdLoss(StudentDim, TeacherDim, DataCount, Small with { Negatives = 0 }));
        Assert.Contains("K >= 1", error.Message);
    }

    [Fact]
    public void FeatureWidthThatDoesNotMatchTheEmbeddingIsAClearError()
    {
        using var crd = new CrdLoss(StudentDim, TeacherDim, DataCount, Small with { Layers = new LayerPair(0, 0) }, device: DistillDevice.Current);
        var error = Assert.Throws<ArgumentException>(() => crd.Compute(Context(
            torch.randn(Batch, StudentDim + 1, device: DistillDevice.Current), torch.randn(Batch, TeacherDim, device: DistillDevice.Current), Rows())));
        Assert.Contains($"built for {StudentDim}", error.Message);
    }

    [Fact]
    public void NaNFeaturesAreAClearError()
    {
        using var crd = new CrdLoss(StudentDim, TeacherDim, DataCount, Small with { Layers = new LayerPair(0, 0) }, device: DistillDevice.Current);
        var teacher = torch.randn(Batch, TeacherDim, device: DistillDevice.Current);
        teacher[2, 4] = torch.tensor(float.NaN);
        var error = Assert.Throws<ArgumentException>(() => crd.Compute(Context(
            torch.randn(Batch, StudentDim, device: DistillDevice.Current), teacher, Rows())));
        Assert.Contains("teacher feature contains NaN", error.Message);
    }

    [Fact]
    public void MismatchedBatchSizesAreAClearError()
    {
        using var crd = new CrdLoss(StudentDim, TeacherDim, DataCount, Small, device: DistillDevice.Current);
        var error = Assert.Throws<ArgumentException>(() => crd.forward(torch.randn(Batch, StudentDim, device: DistillDevice.Current),
            torch.randn(Batch - 1, TeacherDim, device: DistillDevice.Current), Rows(), new ContrastIndices(Rows(), torch.zeros(Batch, 10, dtype: ScalarType.Int64, device: DistillDevice.Current))));
        Assert.Contains("same size", error.Message);
    }
}
