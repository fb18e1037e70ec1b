using Distill.Losses.Crd;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.Crd;

/// <summary>The normalisation constants of CRD's memory after one training step.</summary>
/// <param name="Step">1-based number of the step (batch) in the whole run.</param>
/// <param name="Student">Z of the student view (student embeddings scored against the teacher bank).</param>
/// <param name="Teacher">Z of the teacher view (teacher embeddings scored against the student bank).</param>
public sealed record ZRecord(int Step, double Student, double Teacher);

/// <summary>A <see cref="CrdLoss"/> that records its memory's Z after every step, so that training can chart Z over steps.</summary>
/// <remarks>
/// Tian, Krishnan &amp; Isola, "Contrastive Representation Distillation", ICLR 2020, Eq. 19 approximate the partition
/// function Z by a Monte-Carlo estimate; RepDistiller sets it once from the first batch (<see cref="ZPolicy.FixedFromFirstBatch"/>),
/// and <see cref="ZPolicy.RunningEstimate"/> keeps following the embeddings. This wrapper changes nothing in the loss: it
/// computes the wrapped CRD term and reads <see cref="ContrastMemory.Z"/> afterwards (one small device-to-host copy per step).
/// The CRD loss is a registered submodule, so its embeddings stay trainable through the <c>Distiller</c>.
/// </remarks>
public sealed class CrdZTrace : DistillationLoss, ITeacherPassReader
{
    private readonly CrdLoss crd;
    private readonly List<ZRecord> history = [];

    /// <summary>Wraps <paramref name="crd"/>.</summary>
    public CrdZTrace(CrdLoss crd) : base(nameof(CrdZTrace))
    {
        this.crd = crd ?? throw new ArgumentNullException(nameof(crd));
        RegisterComponents();
    }

    /// <summary>The wrapped loss's name (<c>"crd"</c>), so histories read as without the wrapper.</summary>
    public override string Name => crd.Name;

    /// <summary>What the wrapped CRD loss reads of the teacher's pass.</summary>
    public TeacherPassParts TeacherParts => crd.TeacherParts;

    /// <summary>The wrapped CRD loss (embeddings, memory, sampler).</summary>
    public CrdLoss Crd => crd;

    /// <summary>Z after each training step so far, in order.</summary>
    public IReadOnlyList<ZRecord> History => history;

    /// <summary>Computes the CRD term (which updates the memory and, at the first step or under a running estimate, Z), then records Z.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        var loss = crd.Compute(context);
        var (student, teacher) = crd.Memory.Z;
        history.Add(new ZRecord(history.Count + 1, student, teacher));
        return loss;
    }
}
