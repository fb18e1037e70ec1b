using Distill.Data.Tabular;
using Distill.Losses;
using Distill.Losses.Crd;
using Distill.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.Crd;

/// <summary>The critic's embeddings g^S(f^S) and g^T(f^T) of every row of a split, for charts and alignment figures.</summary>
/// <param name="Student">Student embeddings, unit rows [N, feat_dim].</param>
/// <param name="Teacher">Teacher embeddings of the same rows, unit rows [N, feat_dim].</param>
public sealed record CrdEmbeddings(Tensor Student, Tensor Teacher)
{
    /// <summary>Embeds a split with the CRD term's heads: each network in eval mode, no gradient; training modes are restored.</summary>
    /// <param name="crd">The CRD loss whose <see cref="CrdLoss.StudentEmbed"/> and <see cref="CrdLoss.TeacherEmbed"/> are used.</param>
    /// <param name="student">The student, reading the split's student view.</param>
    /// <param name="teacher">The teacher, reading the split's teacher view.</param>
    /// <param name="split">The rows to embed.</param>
    public static CrdEmbeddings Of(CrdLoss crd, Mlp student, Mlp teacher, TabularSplit split)
    {
        var layers = crd.Options.Layers ?? LayerPair.Last;
        bool studentTraining = student.training, teacherTraining = teacher.training;
        student.eval();
        teacher.eval();
        try
        {
            using var grad = no_grad();
            using var scope = NewDisposeScope();
            var s = crd.StudentEmbed.forward(layers.SelectStudent(student.ForwardFeatures(split.StudentInput).Features)); // [N, feat_dim]
            var t = crd.TeacherEmbed.forward(layers.SelectTeacher(teacher.ForwardFeatures(split.TeacherInput).Features)); // [N, feat_dim]
            return new CrdEmbeddings(s.MoveToOuterDisposeScope(), t.MoveToOuterDisposeScope());
        }
        finally
        {
            student.train(studentTraining);
            teacher.train(teacherTraining);
        }
    }

    /// <summary>
    /// How well the two embeddings agree: the mean cosine v^S_i · v^T_i of each row with itself (the positive pairs CRD
    /// pulls together) and the mean over all pairs i ≠ j (the negatives it pushes apart).
    /// </summary>
    public (double Positive, double Negative) Alignment()
    {
        if (Student.dim() != 2 || !Student.shape.SequenceEqual(Teacher.shape) || Student.shape[0] < 2)
            throw new InvalidOperationException(
                $"Alignment needs two [N, D] embeddings of the same rows with N >= 2, but they are [{string.Join(", ", Student.shape)}] and [{string.Join(", ", Teacher.shape)}].");
        using var scope = NewDisposeScope();
        long n = Student.shape[0];
        var cosine = Student.mm(Teacher.t()).to(ScalarType.Float64); // [N, N]
        double diagonal = cosine.diagonal().sum().item<double>();
        double all = cosine.sum().item<double>();
        return (diagonal / n, (all - diagonal) / (n * (n - 1)));
    }
}
