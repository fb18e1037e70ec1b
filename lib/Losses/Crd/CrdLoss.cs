using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.Crd;

/// <summary>Contrastive Representation Distillation: the NCE loss of both views against each other's memory bank.</summary>
/// <remarks>
/// Tian, Krishnan &amp; Isola, "Contrastive Representation Distillation", ICLR 2020, Eq. 18-19, as RepDistiller's
/// <c>CRDLoss</c>: the chosen student and teacher features (<see cref="CrdOptions.Layers"/>, the last block by default)
/// are embedded by two trainable <see cref="Embed"/> heads; the student embedding is contrasted against the teacher
/// bank and the teacher embedding against the student bank, and the two NCE losses are summed. The teacher feature
/// is detached, so the gradient reaches the student and both embeddings, never the teacher.
/// <para>
/// <see cref="Compute"/> reads the batch's data-set row indices from <see cref="DistillationContext.Indices"/> and draws
/// the positive and negative rows with its own <see cref="ContrastiveIndexSampler"/> (labels given at construction
/// enable class-aware negatives and relax positives), so a trainer only has to pass row indices. Each call updates
/// the memory, so call it once per training batch.
/// </para>
/// </remarks>
public sealed class CrdLoss : DistillationLoss, ISamplingLoss, ITeacherPassReader
{
    private readonly Embed embed_student;
    private readonly Embed embed_teacher;
    private readonly ContrastMemory contrast;
    private readonly ContrastLoss criterion_student;
    private readonly ContrastLoss criterion_teacher;
    private readonly ContrastiveIndexSampler sampler;

    /// <summary>Creates CRD for features of <paramref name="studentDim"/> and <paramref name="teacherDim"/> values per row.</summary>
    /// <param name="studentDim">Flattened size of the student feature the loss is given.</param>
    /// <param name="teacherDim">Flattened size of the teacher feature the loss is given.</param>
    /// <param name="dataCount">Number of training rows N (the memory banks' size).</param>
    /// <param name="options">Hyper-parameters; null means the paper's defaults.</param>
    /// <param name="labels">Class of each training row (int64 [N]) for class-aware negatives and relax positives, or null.</param>
    /// <param name="generator">Torch generator for contrastive sampling; null uses torch's global generator.</param>
    /// <param name="device">Where the embeddings, memory banks and sampler tables live; null keeps TorchSharp's default, the CPU.
    /// Builders pass the student's device.</param>
    public CrdLoss(long studentDim, long teacherDim, long dataCount, CrdOptions? options = null, Tensor? labels = null, torch.Generator? generator = null,
                   Device? device = null)
        : base(nameof(CrdLoss))
    {
        Options = (options ?? new CrdOptions()).Validate();
        embed_student = new Embed(studentDim, Options.FeatureDim, device);
        embed_teacher = new Embed(teacherDim, Options.FeatureDim, device);
        contrast = new ContrastMemory(dataCount, Options, device);
        criterion_student = new ContrastLoss(dataCount);
        criterion_teacher = new ContrastLoss(dataCount);
        sampler = new ContrastiveIndexSampler(dataCount, Options.Negatives, Options.Positives, Options.NegativeSampling, labels, generator, device);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override string Name => "crd";

    /// <inheritdoc />
    public TeacherPassParts TeacherParts => new(false, [(Options.Layers ?? LayerPair.Last).Teacher]);

    /// <summary>The options this loss was built with.</summary>
    public CrdOptions Options { get; }

    /// <summary>The student's embedding head g^S (trainable).</summary>
    public Embed StudentEmbed => embed_student;

    /// <summary>The teacher's embedding head g^T (trainable).</summary>
    public Embed TeacherEmbed => embed_teacher;

    /// <summary>The memory banks and normalisation constants.</summary>
    public ContrastMemory Memory => contrast;

    /// <summary>The sampler that draws positives and negatives in <see cref="Compute"/>; see its <c>Warning</c>.</summary>
    public ContrastiveIndexSampler Sampler => sampler;

    /// <inheritdoc/>
    public torch.Generator? SamplerGenerator => sampler.Generator;

    /// <summary>Computes CRD for one batch: features from <see cref="CrdOptions.Layers"/>, rows from the context's indices.</summary>
    public override Tensor Compute(DistillationContext context)
    {
        var rows = context.Indices
            ?? throw new ArgumentException("CRD needs each sample's row index in the training set: pass DistillationContext.Indices (int64 [B]).", nameof(context));
        var layers = Options.Layers ?? LayerPair.Last;
        var student = layers.SelectStudent(context.Student.Features);
        var teacher = layers.SelectTeacher(context.Teacher.Features);
        using var scope = torch.NewDisposeScope();
        var onDevice = rows.to(contrast.StudentMemory.device); // batches may carry their indices on the CPU
        var drawn = sampler.Sample(onDevice); // checks the rows' range once, as they enter; the drawn rows are valid
        return Loss(student, teacher, onDevice, drawn, checkRanges: false).MoveToOuterDisposeScope();
    }

    /// <summary>Computes CRD with given contrast rows (the reference's <c>CRDLoss.forward</c>) and updates the memory.</summary>
    /// <param name="student">Student feature f^S [B, ...].</param>
    /// <param name="teacher">Teacher feature f^T [B, ...]; detached here.</param>
    /// <param name="rows">Data-set row index of each sample, int64 [B].</param>
    /// <param name="contrastRows">Positive [B] and negative ([B, K] or [K]) rows, as drawn by <see cref="Sampler"/>.</param>
    public Tensor forward(Tensor student, Tensor teacher, Tensor rows, ContrastIndices contrastRows)
        => Loss(student, teacher, rows, contrastRows, checkRanges: true);

    private Tensor Loss(Tensor student, Tensor teacher, Tensor rows, ContrastIndices contrastRows, bool checkRanges)
    {
        if (student.dim() < 2 || teacher.dim() < 2 || student.shape[0] != teacher.shape[0])
            throw new ArgumentException(
                $"Student and teacher features must be batches [B, ...] of the same size, but they are [{string.Join(", ", student.shape)}] and [{string.Join(", ", teacher.shape)}].");
        ThrowIfNotFinite(student, "student");
        ThrowIfNotFinite(teacher, "teacher");
        using var scope = torch.NewDisposeScope();
        var studentEmbedding = embed_student.forward(student);          // [B, feat_dim]
        var teacherEmbedding = embed_teacher.forward(teacher.detach()); // [B, feat_dim]
        var (outStudent, outTeacher) = contrast.Forward(studentEmbedding, teacherEmbedding, rows, contrastRows, checkRanges);
        return criterion_student.forward(outStudent).add(criterion_teacher.forward(outTeacher)).MoveToOuterDisposeScope();
    }

    private static void ThrowIfNotFinite(Tensor feature, string side)
    {
        if (InputFinitenessChecks.Deferred) return;
        using var finite = feature.detach().isfinite().all();
        if (!finite.item<bool>())
            throw new ArgumentException($"The {side} feature contains NaN or infinite values; CRD cannot embed it. Check the {side} network's inputs and learning rate.");
    }

    /// <summary>Releases the modules and the sampler's tables.</summary>
    protected override void Dispose(bool disposing)
    {
        if (disposing) sampler.Dispose();
        base.Dispose(disposing);
    }
}
