using Distill.Losses;
using Distill.Runtime;
using Distill.Tests.Reference;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static Distill.Tests.Losses.Logit.LogitCases;

namespace Distill.Tests.Losses.Logit;

/// <summary>Issue 5: the two reasons the seeds' KD could not work, shown next to the losses that do.</summary>
public class SeedPitfallTests
{
    private static Linear NewLinear(long inputs, long outputs, int seed)
    {
        var layer = nn.Linear(inputs, outputs, dtype: ScalarType.Float64);
        using (no_grad())
        {
            layer.weight!.copy_(Random(seed, outputs, inputs) / 3.0);
            layer.bias!.copy_(Random(seed + 1, outputs) / 3.0);
        }
        return layer.to(DistillDevice.Current);
    }

    private static double[] Parameters(nn.Module module)
        => module.parameters().SelectMany(p => Values(p)).ToArray();

    [Theory]
    [InlineData(101)]
    [InlineData(202)]
    [InlineData(303)]
    public void SoftmaxOverTheSingleSigmoidProbabilityGivesZeroKlAndNoLearning(int seed)
    {
        var x = Random(seed, 16, 4);
        var student = NewLinear(4, 1, seed + 1);
        var teacher = NewLinear(4, 1, seed + 3);
        var before = Parameters(student);

        // The seed: log_softmax / softmax along dim 1 of the [B, 1] sigmoid probabilities.
        var seedKl = SeedPitfalls.KlOverSingleColumn(sigmoid(student.forward(x)), sigmoid(teacher.forward(x)).detach());
        Assert.Equal(0.0, seedKl.item<double>());
        seedKl.backward();
        Assert.All(Values(student.weight!.grad!), g => Assert.Equal(0.0, g));
        new SGD(student.parameters(), 0.5).step();
        Assert.Equal(before, Parameters(student));

        // The fix: Bernoulli KL on the logits is positive, has a gradient, and training on it moves the student toward the teacher.
        student.zero_grad();
        var loss = new BinaryKnowledgeDistillationLoss();
        var optimizer = new SGD(student.parameters(), 0.5);
        double first = double.NaN, last = double.NaN;
        for (int step = 0; step < 20; step++)
        {
            optimizer.zero_grad();
            var value = loss.Compute(Context(student.forward(x), teacher.forward(x)));
            value.backward();
            if (step == 0)
            {
                first = value.item<double>();
                Assert.True(student.weight!.grad!.abs().sum().item<double>() > 0, "binary KD gave the student no gradient");
            }
            last = value.item<double>();
            optimizer.step();
        }
        Assert.True(first > 0, $"binary KD should be positive for different networks, got {first}");
        Assert.NotEqual(before, Parameters(student));
        Assert.True(last < 0.5 * first, $"binary KD did not decrease while training on it ({first} -> {last})");
    }

    [Fact]
    public void KdFromCopiedScoresLeavesTheStudentAsIfThereWereNoKd()
    {
        var x = Random(401, 32, 5);
        var labels = arange(32, ScalarType.Int64, DistillDevice.Current) % 3;
        var teacher = NewLinear(5, 3, 402);
        var withCopiedKd = NewLinear(5, 3, 404);
        var taskOnly = NewLinear(5, 3, 404);
        var withKd = NewLinear(5, 3, 404);
        var kd = new KnowledgeDistillationLoss();

        Tensor Task(Linear student) => nn.functional.cross_entropy(student.forward(x), labels);
        void Step(Linear student, Func<Linear, Tensor> loss)
        {
            var optimizer = new SGD(student.parameters(), 0.5);
            optimizer.zero_grad();
            loss(student).backward();
            optimizer.step();
        }

        var copied = SeedPitfalls.KdFromCopiedScores(withCopiedKd.forward(x), teacher.forward(x));
        var (ours, _) = ValueAndGrad(kd, withKd.forward(x), teacher.forward(x));
        Tolerance.AssertClose(ours, copied.item<double>(), rel: 1e-12, what: "the copied KD value (it looks right)");
        Assert.False(copied.requires_grad, "a value rebuilt from an array cannot carry a gradient");

        Step(withCopiedKd, s => Task(s) + SeedPitfalls.KdFromCopiedScores(s.forward(x), teacher.forward(x)));
        Step(taskOnly, Task);
        Step(withKd, s => Task(s) + kd.Compute(Context(s.forward(x), teacher.forward(x))));

        Assert.Equal(Parameters(taskOnly), Parameters(withCopiedKd));
        Assert.NotEqual(Parameters(taskOnly), Parameters(withKd));
    }
}
