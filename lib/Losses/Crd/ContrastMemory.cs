using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.Crd;

/// <summary>
/// CRD's memory: one bank of past embeddings per network, the critic's scores exp(v·m/T)/Z of each view against
/// the other view's bank, and the momentum update of the batch's rows.
/// </summary>
/// <remarks>
/// Tian, Krishnan &amp; Isola, "Contrastive Representation Distillation", ICLR 2020, Eq. 19 and Sec. 3.4, following
/// RepDistiller's <c>ContrastMemory</c>:
/// <list type="bullet">
/// <item>Banks of N x feat_dim, initialised uniformly in ±1/sqrt(feat_dim/3) (not unit rows; rows become unit norm
/// once updated). They are buffers: saved with the module, moved by <c>to(device)</c>, never trained.</item>
/// <item>The student embedding is scored against the teacher bank and the teacher embedding against the student
/// bank, at the positive and K negative rows: h = exp(v·m/T) / Z.</item>
/// <item>Z per view is the Monte-Carlo estimate mean(exp(v·m/T))·N, a constant for autograd; see <see cref="ZPolicy"/>
/// for the reference's fixed-from-first-batch rule and the running alternative.</item>
/// <item>After scoring, under no_grad and in place, each bank's rows at the batch's own indices become
/// normalise(μ·m + (1−μ)·v) with that network's new embedding. Scores use the memory before this update.</item>
/// </list>
/// Rows repeated within one batch keep one of their updates (index_copy), as in the reference.
/// </remarks>
public sealed class ContrastMemory : nn.Module
{
    private readonly Tensor memory_student; // [N, D] the reference's memory_v1
    private readonly Tensor memory_teacher; // [N, D] the reference's memory_v2
    private readonly Tensor z;              // [2] Z of the student and teacher views; negative until set
    private readonly CrdOptions options;

    /// <summary>Creates the two banks for a training set of <paramref name="dataCount"/> rows on <paramref name="device"/>.</summary>
    /// <param name="dataCount">Number of training rows N.</param>
    /// <param name="options">Hyper-parameters (feat_dim, momentum, Z policy, negative sampling).</param>
    /// <param name="device">Where the banks live; null keeps TorchSharp's default, the CPU. <see cref="CrdLoss"/> passes its own.</param>
    public ContrastMemory(long dataCount, CrdOptions options, Device? device = null) : base(nameof(ContrastMemory))
    {
        this.options = options.Validate();
        if (dataCount < 2)
            throw new ArgumentOutOfRangeException(nameof(dataCount), dataCount, "The contrast memory needs at least 2 data rows (one per training sample).");
        DataCount = dataCount;
        double bound = 1.0 / Math.Sqrt(options.FeatureDim / 3.0);
        memory_student = torch.rand(dataCount, options.FeatureDim, device: device).mul_(2 * bound).add_(-bound);
        memory_teacher = torch.rand(dataCount, options.FeatureDim, device: device).mul_(2 * bound).add_(-bound);
        z = torch.full(2, -1.0, device: device);
        RegisterComponents();
    }

    /// <summary>Number of rows N (the training set's size).</summary>
    public long DataCount { get; }

    /// <summary>The student bank [N, feat_dim], live (the reference's <c>memory_v1</c>); write to it only to restore a state.</summary>
    public Tensor StudentMemory => memory_student;

    /// <summary>The teacher bank [N, feat_dim], live (the reference's <c>memory_v2</c>); write to it only to restore a state.</summary>
    public Tensor TeacherMemory => memory_teacher;

    /// <summary>The current normalisation constants (Z of the student view, Z of the teacher view); NaN before the first batch.</summary>
    public (double Student, double Teacher) Z
    {
        get
        {
            using var values = z.to(ScalarType.Float64).cpu();
            double s = values[0].item<double>(), t = values[1].item<double>();
            return (s < 0 ? double.NaN : s, t < 0 ? double.NaN : t);
        }
    }

    /// <summary>
    /// Scores both views and updates the banks: returns h for the student view [B, K+1] (scored against the teacher
    /// bank) and for the teacher view [B, K+1] (against the student bank); column 0 is the positive.
    /// </summary>
    /// <param name="student">Student embedding v^S, unit rows [B, D].</param>
    /// <param name="teacher">Teacher embedding v^T, unit rows [B, D].</param>
    /// <param name="rows">Data-set index of each batch row [B]: the rows updated after scoring.</param>
    /// <param name="contrast">Positive and negative memory rows to score against.</param>
    public (Tensor Student, Tensor Teacher) forward(Tensor student, Tensor teacher, Tensor rows, ContrastIndices contrast)
        => Forward(student, teacher, rows, contrast, checkRanges: true);

    /// <summary><see cref="forward"/>; without the index-range checks (three device-to-host reads) when the rows were checked
    /// as they entered and the contrast rows were drawn by the sampler, which draws only valid rows.</summary>
    internal (Tensor Student, Tensor Teacher) Forward(Tensor student, Tensor teacher, Tensor rows, ContrastIndices contrast, bool checkRanges)
    {
        Validate(student, teacher, rows, contrast, checkRanges);
        using var scope = torch.NewDisposeScope();
        var outStudent = Scores(memory_teacher, student, contrast); // [B, K+1]
        var outTeacher = Scores(memory_student, teacher, contrast); // [B, K+1]

        using (torch.no_grad())
        {
            var estimate = torch.stack([outStudent.mean(), outTeacher.mean()]).mul_(DataCount).to(z.dtype); // [2]
            var updated = options.Z switch
            {
                ZPolicy.FixedFromFirstBatch => z,
                ZPolicy.RunningEstimate => z.mul(options.ZMomentum).add_(estimate, alpha: 1 - options.ZMomentum),
                _ => throw new ArgumentOutOfRangeException(nameof(options.Z), options.Z, "Unknown Z policy."),
            };
            // Unset entries (negative) take this batch's estimate under both policies.
            z.copy_(torch.where(z.lt(0), estimate, updated));
        }
        // A copy, so that the next batch's in-place update of z cannot invalidate this batch's graph.
        var zNow = z.detach().clone(); // [2]
        outStudent = outStudent.div(zNow[0]);
        outTeacher = outTeacher.div(zNow[1]);

        using (torch.no_grad())
        {
            UpdateRows(memory_student, student, rows);
            UpdateRows(memory_teacher, teacher, rows);
        }
        return (outStudent.MoveToOuterDisposeScope(), outTeacher.MoveToOuterDisposeScope());
    }

    // exp(m·v/T) at the positive and negative rows of the other view's bank: [B, K+1].
    private Tensor Scores(Tensor bank, Tensor view, ContrastIndices contrast)
    {
        Tensor dots = options.NegativeSampling switch
        {
            NegativeSampling.PerRow => PerRowDots(bank, view, contrast),
            // One positive row per anchor, then a [B, D] x [D, K] product with the shared negatives.
            NegativeSampling.Shared => torch.cat([
                    bank.index_select(0, contrast.Positives).mul(view).sum(1, keepdim: true), // [B, 1]
                    view.mm(bank.index_select(0, contrast.Negatives).t())],                   // [B, K]
                1),
            _ => throw new ArgumentOutOfRangeException(nameof(options.NegativeSampling), options.NegativeSampling, "Unknown negative sampling."),
        };
        return dots.div(options.Temperature).exp();
    }

    // m·v at each anchor's positive and K negative rows, [B, K+1]. The reference gathers those B·(K+1) rows ([B, K+1, D]:
    // 537 MB at B 64, K 16384, D 128) and multiplies per anchor, which is bound by moving memory. While the bank holds at
    // most FullProductRows·(K+1) rows, one [B, D] x [D, N] product scores every row and the chosen ones are gathered from
    // it: the same sums, and its backward a [B, N] x [N, D] product with a copy of the bank (N·D values, not B·(K+1)·D).
    // Larger banks keep the gather, whose cost does not grow with N.
    private static Tensor PerRowDots(Tensor bank, Tensor view, ContrastIndices contrast)
    {
        long batch = view.shape[0], dim = view.shape[1];
        var chosen = torch.cat([contrast.Positives.unsqueeze(1), contrast.Negatives], 1); // [B, K+1]
        if (bank.shape[0] <= FullProductRows * chosen.shape[1])
            return view.mm(bank.clone().t()).gather(1, chosen); // [B, N] -> [B, K+1]; a copy, as the rows are updated in place before the backward
        // Written as v·Mᵀ rather than the reference's M·v: the same sums, but the backward to v then reads the gathered
        // rows in order, about 3x faster on LibTorch 2.10's CPU kernels.
        return torch.bmm(view.view(batch, 1, dim), bank.index_select(0, chosen.flatten()).view(batch, -1, dim).transpose(1, 2))
            .squeeze(1); // [B, 1, D] x [B, D, K+1] -> [B, K+1]
    }

    // The largest bank, in multiples of K+1, that PerRowDots scores whole.
    private const long FullProductRows = 32;

    // m ← normalise(μ·m + (1−μ)·v) at the batch's rows, in place.
    private void UpdateRows(Tensor bank, Tensor view, Tensor rows)
    {
        var moved = bank.index_select(0, rows).mul_(options.Momentum).add_(view.detach().mul(1 - options.Momentum)); // [B, D]
        var norm = moved.pow(2).sum(1, keepdim: true).pow(0.5);                                                       // [B, 1]
        bank.index_copy_(0, rows, moved.div(norm));
    }

    private void Validate(Tensor student, Tensor teacher, Tensor rows, ContrastIndices contrast, bool checkRanges)
    {
        long dim = memory_student.shape[1];
        if (student.dim() != 2 || student.shape[1] != dim || teacher.dim() != 2 || teacher.shape[1] != dim)
            throw new ArgumentException(
                $"Embeddings must be [B, {dim}] (feat_dim), but the student's is [{string.Join(", ", student.shape)}] and the teacher's [{string.Join(", ", teacher.shape)}]; embed the features first.");
        long batch = student.shape[0];
        if (teacher.shape[0] != batch || rows.shape.Length != 1 || rows.shape[0] != batch || contrast.Positives.shape.Length != 1 || contrast.Positives.shape[0] != batch)
            throw new ArgumentException(
                $"Batch sizes differ: student {batch}, teacher {teacher.shape[0]}, row indices [{string.Join(", ", rows.shape)}], positives [{string.Join(", ", contrast.Positives.shape)}]; " +
                "pass one row index and one positive per sample.");
        bool sharedShape = contrast.Negatives.dim() == 1;
        bool perRowShape = contrast.Negatives.dim() == 2 && contrast.Negatives.shape[0] == batch;
        bool shapeFits = options.NegativeSampling switch
        {
            NegativeSampling.PerRow => perRowShape,
            NegativeSampling.Shared => sharedShape,
            _ => throw new ArgumentOutOfRangeException(nameof(options.NegativeSampling), options.NegativeSampling, "Unknown negative sampling."),
        };
        if (!shapeFits || contrast.Negatives.shape[^1] < 1)
            throw new ArgumentException(
                $"{options.NegativeSampling} negatives must be {(options.NegativeSampling == NegativeSampling.PerRow ? $"[{batch}, K]" : "[K]")} with K >= 1, " +
                $"but they are [{string.Join(", ", contrast.Negatives.shape)}]; draw them with a ContrastiveIndexSampler of the same NegativeSampling.");
        if (!checkRanges) return;
        ContrastiveIndexSampler.ValidateRows(rows, DataCount);
        ContrastiveIndexSampler.ValidateRows(contrast.Positives, DataCount, "positive indices");
        ContrastiveIndexSampler.ValidateRows(contrast.Negatives, DataCount, "negative indices", vector: false);
    }
}
