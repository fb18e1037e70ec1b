using Distill.Losses.Crd;
using Distill.Tests.Reference;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Tests.Losses.Crd;

/// <summary>CrdLoss against PyTorch 1.13 running RepDistiller's CRD logic (tools/reference/crd.py), two consecutive steps.</summary>
public class CrdFidelityTests
{
    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void TwoStepsMatchTheReferenceInLossGradientsZAndMemory(ScalarType dtype)
    {
        var reference = new CrdReference { DType = dtype };
        double rel = reference.Rel;
        using var crd = reference.Build();
        Assert.Equal(dtype, crd.Memory.StudentMemory.dtype); // to(dtype) reached the banks the memory reads
        for (int step = 0; step < 2; step++)
        {
            var expected = reference.Step(step);
            var studentFeature = reference.Floats(expected.GetProperty("f_s"), reference.Batch, reference.StudentDim).requires_grad_(true);
            var teacherFeature = reference.Floats(expected.GetProperty("f_t"), reference.Batch, reference.TeacherDim);
            var rows = reference.Longs(expected.GetProperty("idx"), reference.Batch);
            crd.zero_grad();

            var loss = crd.forward(studentFeature, teacherFeature, rows, reference.ContrastRows(step));
            loss.backward();

            string at = $"step {step + 1}";
            Tolerance.AssertClose(expected.GetProperty("loss").GetDouble(), CrdReference.Values(loss)[0], rel: rel, what: $"{at} loss");
            // Step 2 reuses step 1's Z: recomputing it per batch would change both Z and the step-2 loss.
            var (zStudent, zTeacher) = crd.Memory.Z;
            Tolerance.AssertClose(expected.GetProperty("z_student").GetDouble(), zStudent, rel: rel, what: $"{at} Z student");
            Tolerance.AssertClose(expected.GetProperty("z_teacher").GetDouble(), zTeacher, rel: rel, what: $"{at} Z teacher");
            AssertGradient(expected, "grad_f_s", studentFeature.grad, at, rel);
            var embedS = crd.StudentEmbed.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            var embedT = crd.TeacherEmbed.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            AssertGradient(expected, "grad_embed_s_weight", embedS["linear.weight"].grad, at, rel);
            AssertGradient(expected, "grad_embed_s_bias", embedS["linear.bias"].grad, at, rel);
            AssertGradient(expected, "grad_embed_t_weight", embedT["linear.weight"].grad, at, rel);
            AssertGradient(expected, "grad_embed_t_bias", embedT["linear.bias"].grad, at, rel);
            Tolerance.AssertClose(ReferenceData.Doubles(expected.GetProperty("memory_student")), CrdReference.Values(crd.Memory.StudentMemory), rel: rel, what: $"{at} student memory");
            Tolerance.AssertClose(ReferenceData.Doubles(expected.GetProperty("memory_teacher")), CrdReference.Values(crd.Memory.TeacherMemory), rel: rel, what: $"{at} teacher memory");
        }
    }

    [Theory]
    [InlineData(ScalarType.Float64)]
    [InlineData(ScalarType.Float32)]
    public void SharedNegativesEqualTheReferenceGivenTheSameNegativesOnEveryRow(ScalarType dtype)
    {
        var reference = new CrdReference { DType = dtype };
        double rel = reference.Rel;
        using var crd = reference.Build(NegativeSampling.Shared);
        var expected = reference.Shared;
        var first = reference.Step(0);
        var studentFeature = reference.Floats(first.GetProperty("f_s"), reference.Batch, reference.StudentDim).requires_grad_(true);
        var teacherFeature = reference.Floats(first.GetProperty("f_t"), reference.Batch, reference.TeacherDim);
        var rows = reference.Longs(expected.GetProperty("idx"), reference.Batch);
        var negatives = reference.Longs(expected.GetProperty("negatives"), reference.K);

        var loss = crd.forward(studentFeature, teacherFeature, rows, new ContrastIndices(rows, negatives));
        loss.backward();

        Tolerance.AssertClose(expected.GetProperty("loss").GetDouble(), CrdReference.Values(loss)[0], rel: rel, what: "shared loss");
        Tolerance.AssertClose(expected.GetProperty("z_student").GetDouble(), crd.Memory.Z.Student, rel: rel, what: "shared Z student");
        Tolerance.AssertClose(expected.GetProperty("z_teacher").GetDouble(), crd.Memory.Z.Teacher, rel: rel, what: "shared Z teacher");
        AssertGradient(expected, "grad_f_s", studentFeature.grad, "shared", rel);
        Tolerance.AssertClose(ReferenceData.Doubles(expected.GetProperty("memory_student")), CrdReference.Values(crd.Memory.StudentMemory), rel: rel, what: "shared student memory");
        Tolerance.AssertClose(ReferenceData.Doubles(expected.GetProperty("memory_teacher")), CrdReference.Values(crd.Memory.TeacherMemory), rel: rel, what: "shared teacher memory");
    }

    [Fact]
    public void RunningZMovesFromTheFirstBatchTowardsEachNewEstimate()
    {
        var reference = new CrdReference();
        using var crd = reference.Build(z: ZPolicy.RunningEstimate);
        double m = reference.Options().ZMomentum;
        for (int step = 0; step < 2; step++)
        {
            var s = reference.Step(step);
            crd.forward(reference.Floats(s.GetProperty("f_s"), reference.Batch, reference.StudentDim),
                reference.Floats(s.GetProperty("f_t"), reference.Batch, reference.TeacherDim),
                reference.Longs(s.GetProperty("idx"), reference.Batch), reference.ContrastRows(step)).Dispose();
        }
        // Memory, embeddings and inputs of step 2 are the reference's, so its batch estimate is the reference's too.
        var first = reference.Step(0);
        var second = reference.Step(1);
        double expectedStudent = m * first.GetProperty("z_student").GetDouble() + (1 - m) * second.GetProperty("batch_z_student").GetDouble();
        double expectedTeacher = m * first.GetProperty("z_teacher").GetDouble() + (1 - m) * second.GetProperty("batch_z_teacher").GetDouble();
        Tolerance.AssertClose(expectedStudent, crd.Memory.Z.Student, what: "running Z student");
        Tolerance.AssertClose(expectedTeacher, crd.Memory.Z.Teacher, what: "running Z teacher");
        Assert.NotEqual(first.GetProperty("z_student").GetDouble(), crd.Memory.Z.Student, 3);
    }

    private static void AssertGradient(System.Text.Json.JsonElement expected, string name, Tensor? gradient, string at, double rel)
    {
        Assert.True(gradient is not null, $"{at}: no gradient for {name}");
        Tolerance.AssertClose(ReferenceData.Doubles(expected.GetProperty(name)), CrdReference.Values(gradient!), rel: rel, what: $"{at} {name}");
    }
}
