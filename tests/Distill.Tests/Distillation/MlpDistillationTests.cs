using Distill.Distillation;
using Distill.Losses;
using Distill.Models;
using Distill.Runtime;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Distill.Tests.Distillation;

public class MlpDistillationTests
{
    public static IEnumerable<object[]> Methods() => Enum.GetValues<DistillationMethod>().Select(m => new object[] { m });

    [Theory]
    [MemberData(nameof(Methods))]
    public void EveryMethodBuildsTermsWhoseGradientReachesTheStudentOnly(DistillationMethod method)
    {
        foreach (int classes in new[] { 2, 5 })
        {
            Reproducibility.Seed(0);
            int outputs = classes == 2 ? 1 : classes;
            var teacher = new Mlp([12, 24, 20, 16], outputs, "teacher");
            var student = new Mlp([6, 10, 8], outputs, "student");
            var targets = randint(0, classes, [16], dtype: ScalarType.Int64);
            var pair = new MlpPair(student, teacher, classes, randn(40, 12), randint(0, classes, [40], dtype: ScalarType.Int64));
            if (method is DistillationMethod.NeuronSelectivity or DistillationMethod.FlowOfSolution)
            {
                // Not defined for these MLP pairs (no length axis; unequal widths): a clear refusal, not a silent zero.
                Assert.Throws<NotSupportedException>(() => MlpDistillation.Terms(method, pair));
                continue;
            }
            var terms = MlpDistillation.Terms(method, pair);
            Assert.Equal(method == DistillationMethod.None ? 0 : 1, terms.Count);
            Func<Tensor, Tensor, Tensor> task = classes == 2
                ? (z, y) => F.binary_cross_entropy_with_logits(z.squeeze(1), y.to(ScalarType.Float32))
                : (z, y) => F.cross_entropy(z, y);
            var distiller = Distiller.Create(student, teacher, task, terms);
            distiller.Train();
            var step = distiller.Step(randn(16, 6), randn(16, 12), targets, arange(16, dtype: ScalarType.Int64));
            Assert.True(double.IsFinite(step.Total.item<float>()));
            step.Total.backward();
            Assert.Contains(student.parameters(), p => p.grad is not null && p.grad.abs().sum().item<float>() > 0);
            Assert.All(teacher.parameters(), p => Assert.Null(p.grad));
            foreach (var (name, value) in step.Values().Where(kv => kv.Key != Distiller.TaskTermName))
                Assert.True(value >= 0, $"{method} term {name} = {value}");
        }
    }

    [Fact]
    public void BinaryAsTwoClassKdEqualsBernoulliKd()
    {
        Reproducibility.Seed(3);
        var zs = randn(32, 1);
        var zt = randn(32, 1) * 3;
        var context = new DistillationContext(new FeatureOutput(zs, [], []), new FeatureOutput(zt, [], []), zeros(32, dtype: ScalarType.Int64));
        double twoClass = new BinaryAsTwoClassLoss(new KnowledgeDistillationLoss(4)).Compute(context).item<float>();
        double bernoulli = new BinaryKnowledgeDistillationLoss(4).Compute(context).item<float>();
        Assert.True(bernoulli > 1e-4);
        Assert.Equal(bernoulli, twoClass, 5);
    }

    [Fact]
    public void BinaryAsTwoClassRejectsClassLogits()
    {
        var context = new DistillationContext(new FeatureOutput(randn(4, 3), [], []), new FeatureOutput(randn(4, 3), [], []), zeros(4, dtype: ScalarType.Int64));
        var error = Assert.Throws<ArgumentException>(() => new BinaryAsTwoClassLoss(new KnowledgeDistillationLoss()).Compute(context));
        Assert.Contains("one logit per example, [batch] or [batch, 1]", error.Message);
    }

    [Fact]
    public void FlowOfSolutionIsBuiltWhenTheLastBlocksHaveEqualWidths()
    {
        var teacher = new Mlp([12, 24, 16, 16]);
        var student = new Mlp([6, 16, 16]);
        var pair = new MlpPair(student, teacher, 2, randn(20, 12), randint(0, 2, [20], dtype: ScalarType.Int64));
        Assert.Equal("fsp", Assert.Single(MlpDistillation.Terms(DistillationMethod.FlowOfSolution, pair)).Loss.Name);
    }

    [Fact]
    public void DeepestPairsAlignBlocksFromTheEnd()
    {
        var pairs = MlpDistillation.DeepestPairs(new Mlp([4, 8, 8]), new Mlp([4, 8, 8, 8]));
        Assert.Equal([new LayerPair(-2, -2), new LayerPair(-1, -1)], pairs);
    }
}
