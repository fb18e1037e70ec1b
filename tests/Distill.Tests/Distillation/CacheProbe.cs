using Distill.Losses;
using static TorchSharp.torch;

namespace Distill.Tests.Distillation;

/// <summary>A term that declares only the teacher's output and records whether it was given a cached pass: a cached pass
/// refuses to show what no term declared (here the pre-activations), a live one shows everything. Its value is zero with
/// gradient, so it changes no training.</summary>
internal sealed class CacheProbe() : DistillationLoss(nameof(CacheProbe)), ITeacherPassReader
{
    /// <summary>Whether a step gave it a cached teacher pass.</summary>
    public bool Cached { get; set; }

    /// <inheritdoc />
    public override string Name => "probe";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => TeacherPassParts.OutputOnly;

    /// <inheritdoc />
    public override Tensor Compute(DistillationContext context)
    {
        try { _ = context.Teacher.PreActivations[0]; }
        catch (InvalidOperationException) { Cached = true; }
        return (context.Student.Output * 0).sum();
    }
}
