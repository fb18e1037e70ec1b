using Distill.Distillation;
using Distill.Losses;
using Distill.Losses.Crd;
using Distill.Losses.Feature;
using Distill.Models;
using Distill.Runtime;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static Distill.Tests.Models.HookedFeatureModelTests;

namespace Distill.Tests.Distillation;

/// <summary>Interop: a user's <c>nn.Sequential</c> with an <see cref="Mlp"/>'s weights, hooked, gives the library model's
/// features, and the same distillation terms, bit for bit.</summary>
public class HookedMlpEquivalenceTests
{
    private const long Batch = 16, Rows = 64, Classes = 3;

    /// <summary>The Mlp's layers as a user writes them: (Linear, BatchNorm1d, LeakyReLU(0.2)) per block, then the classifier,
    /// with the Mlp's parameters and BatchNorm statistics copied in.</summary>
    private static Sequential SequentialCopyOf(Mlp mlp)
    {
        var layers = new List<nn.Module<Tensor, Tensor>>();
        for (int i = 1; i < mlp.Widths.Count; i++)
            layers.AddRange([nn.Linear(mlp.Widths[i - 1], mlp.Widths[i]), nn.BatchNorm1d(mlp.Widths[i]), nn.LeakyReLU(0.2)]);
        var classifier = mlp.named_parameters().Single(p => p.name == "classifier.weight").parameter;
        layers.Add(nn.Linear(mlp.Widths[^1], classifier.shape[0]));
        var sequential = nn.Sequential(layers.ToArray());
        sequential.to(DistillDevice.Current);
        var target = sequential.state_dict();
        using (no_grad())
            foreach (var (key, value) in mlp.state_dict())
                target[SequentialKey(key, mlp.Widths.Count - 1)].copy_(value);
        return sequential;
    }

    // blocks.i.linear.* -> (3i).*, blocks.i.norm.* -> (3i+1).*, classifier.* -> (3K).*
    private static string SequentialKey(string mlpKey, int blocks)
    {
        var parts = mlpKey.Split('.');
        if (parts[0] == "classifier") return $"{3 * blocks}.{parts[1]}";
        int block = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        return $"{3 * block + (parts[2] == "linear" ? 0 : 1)}.{string.Join('.', parts[3..])}";
    }

    private static HookedFeatureModel Hooked(Sequential sequential, int blocks, string name)
        => new(sequential, Enumerable.Range(0, blocks).Select(i => $"{3 * i + 2}").ToArray(),
               Enumerable.Range(0, blocks).Select(i => $"{3 * i + 1}").ToArray(), name);

    private static void AssertSameOutputs(FeatureOutput expected, FeatureOutput actual)
    {
        AssertSame(expected.Output, actual.Output);
        Assert.Equal(expected.Features.Count, actual.Features.Count);
        Assert.Equal(expected.PreActivations.Count, actual.PreActivations.Count);
        foreach (var (e, a) in expected.Features.Zip(actual.Features)) AssertSame(e, a);
        foreach (var (e, a) in expected.PreActivations.Zip(actual.PreActivations)) AssertSame(e, a);
    }

    private static Tensor CrossEntropy(Tensor output, Tensor targets) => nn.functional.cross_entropy(output, targets);

    [Fact]
    public void HookedFeaturesEqualTheMlpsInTrainingAndInEvalMode()
    {
        Reproducibility.Seed(0);
        using var mlp = new Mlp([10, 8, 6], outputs: 3);
        var hooked = Hooked(SequentialCopyOf(mlp), 2, "user");
        var x = randn([Batch, 10]).to(DistillDevice.Current);

        mlp.train(); hooked.train();
        AssertSameOutputs(mlp.ForwardFeatures(x), hooked.ForwardFeatures(x));
        mlp.eval(); hooked.eval();
        AssertSameOutputs(mlp.ForwardFeatures(x), hooked.ForwardFeatures(x));
    }

    [Fact]
    public void DistillingTheHookedCopiesGivesTheMlpPairsTermsAndGradients()
    {
        Reproducibility.Seed(1);
        var teacher = new Mlp([12, 16, 12], outputs: (int)Classes, name: "teacher");
        var student = new Mlp([6, 8, 6], outputs: (int)Classes, name: "student");
        var userTeacher = Hooked(SequentialCopyOf(teacher), 2, "user-teacher");
        var userStudent = Hooked(SequentialCopyOf(student), 2, "user-student");
        var teacherInput = randn([Batch, 12]).to(DistillDevice.Current);
        var studentInput = teacherInput[.., ..6].clone();
        var targets = (arange(Batch, ScalarType.Int64) % Classes).to(DistillDevice.Current);
        var indices = arange(Batch, ScalarType.Int64).to(DistillDevice.Current);
        LayerPair[] both = [new(0, 0), new(1, 1)];
        // Stateless losses and losses whose parameters no optimiser changes here are shared; CRD keeps a memory bank that
        // a step updates, so each pair gets its own, built from the same seed.
        DistillationLoss[] shared =
        [
            new KnowledgeDistillationLoss(), new FitNetLoss(LayerPair.Last, 6, 12), new AttentionTransferLoss(both),
            new OverhaulDistillationLoss(new LayerPair(0, 0), 8, OverhaulMargins.FromBatchNorm(teacher.Blocks[0].Norm)),
            new SimilarityPreservingLoss(both), new RelationalKnowledgeDistillationLoss(LayerPair.Last),
        ];
        CrdLoss Crd() { Reproducibility.Seed(7); return new CrdLoss(6, 12, Rows, new CrdOptions(FeatureDim: 8, Negatives: 16), device: DistillDevice.Current); }
        DistillationTerm[] Terms() => [.. shared.Select(loss => new DistillationTerm(loss, 1.0)), new DistillationTerm(Crd(), 1.0)];

        var library = Distiller.Create(student, teacher, CrossEntropy, Terms());
        var user = Distiller.Create(userStudent, userTeacher, CrossEntropy, Terms());
        Reproducibility.Seed(11);
        var expected = library.Step(studentInput, teacherInput, targets, indices);
        expected.Total.backward();
        var expectedGrad = student.Blocks[0].named_parameters().Single(p => p.name == "linear.weight").parameter.grad!.clone();
        Reproducibility.Seed(11);
        var actual = user.Step(studentInput, teacherInput, targets, indices);
        actual.Total.backward();

        Assert.Equal(["task", "kd", "fitnet", "at", "ofd", "sp", "rkd", "crd"], actual.Terms.Keys);
        foreach (var (name, value) in expected.Terms)
            Assert.True(value.item<float>() == actual.Terms[name].item<float>(), $"{name}: {value.item<float>()} vs {actual.Terms[name].item<float>()}");
        AssertSame(expectedGrad, userStudent.named_parameters().Single(p => p.name == "model.0.weight").parameter.grad!);
    }
}
