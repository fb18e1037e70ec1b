using Distill.Losses;
using Distill.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Distill.Distillation;

/// <summary>Trains a student with its task loss plus weighted, named distillation terms from a frozen teacher.</summary>
/// <remarks>
/// The objective of Hinton, Vinyals, Dean (NIPS DL Workshop 2015) generalised as in Tian, Krishnan, Isola, "Contrastive
/// Representation Distillation", ICLR 2020 (RepDistiller): <c>L = L_task + Σ_k w_k · L_k</c>. The teacher is frozen
/// (<c>requires_grad = false</c>), runs under <c>no_grad</c> and is put back in eval mode at every step, so its BatchNorm
/// statistics and dropout never change while the student trains. Teacher and student may read different inputs (a teacher
/// with privileged features). Losses that own parameters (a FitNet regressor, CRD embeddings) are TorchSharp modules; their
/// parameters are part of <see cref="TrainableParameters"/>.
/// <para>
/// Because the teacher is frozen and in eval mode, its pass on a row depends on that row alone. <see cref="CacheTeacher"/>
/// therefore computes it once on the whole training set (<see cref="TeacherPassCache"/>) when every term declares what it
/// reads (<see cref="ITeacherPassReader"/>), and <see cref="Step(Tensor, Tensor, Tensor, Tensor?)"/> then reads it by the batch's row indices, with the same
/// values (bit for bit on the CPU, where the tests check it). A term that declares nothing keeps the teacher live: OFD and AB
/// read pre-activations, which are never cached. Attention transfer stores its maps (a summary, <see cref="TeacherSummary"/>),
/// one float per position of the student's (pooled) feature. Memory per 10,000 rows is 10,000 × 4 bytes × (the logits per row, if a term reads them, plus the width of
/// every stored feature). For the notebooks' breast-cancer teacher [30, 256, 1024, 256] with one logit: KD alone 0.04 MB,
/// KD + FitNet on the last block 10.28 MB (1 + 256 floats a row; its 341 training rows take 350,548 bytes), KD + SP on the
/// two deepest blocks 51.24 MB (1 + 1,024 + 256).
/// </para>
/// </remarks>
public sealed class Distiller
{
    /// <summary>The name under which the task loss appears in <see cref="DistillationStep.Terms"/>.</summary>
    public const string TaskTermName = "task";

    private readonly nn.Module<Tensor, Tensor> _student;
    private readonly IFeatureModel _studentFeatures;
    private readonly nn.Module<Tensor, Tensor> _teacher;
    private readonly IFeatureModel _teacherFeatures;
    private readonly Func<Tensor, Tensor, Tensor> _taskLoss;
    private TeacherPassCache? _cache;

    private Distiller(nn.Module<Tensor, Tensor> student, IFeatureModel studentFeatures, nn.Module<Tensor, Tensor> teacher,
        IFeatureModel teacherFeatures, Func<Tensor, Tensor, Tensor> taskLoss, IReadOnlyList<DistillationTerm> terms)
    {
        _student = student;
        _studentFeatures = studentFeatures;
        _teacher = teacher;
        _teacherFeatures = teacherFeatures;
        _taskLoss = taskLoss;
        Terms = terms;
        foreach (var parameter in teacher.parameters()) parameter.requires_grad = false;
        teacher.eval();
    }

    /// <summary>
    /// Creates a distiller; freezes the teacher and puts it in eval mode.
    /// </summary>
    /// <param name="student">The network being trained.</param>
    /// <param name="teacher">The trained network whose knowledge is transferred; frozen by this call.</param>
    /// <param name="taskLoss">The student's own loss on (student output, targets), e.g. cross-entropy on the labels.</param>
    /// <param name="terms">The distillation terms; their names must be distinct and differ from <c>"task"</c>.</param>
    public static Distiller Create<TStudent, TTeacher>(TStudent student, TTeacher teacher,
        Func<Tensor, Tensor, Tensor> taskLoss, params IEnumerable<DistillationTerm> terms)
        where TStudent : nn.Module<Tensor, Tensor>, IFeatureModel
        where TTeacher : nn.Module<Tensor, Tensor>, IFeatureModel
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(taskLoss);
        ArgumentNullException.ThrowIfNull(terms);
        if (ReferenceEquals(student, teacher))
            throw new ArgumentException("The student and the teacher are the same object; distil from a separately trained copy (freezing the teacher would freeze the student).");
        var checkedTerms = CheckTerms(terms);
        return new Distiller(student, student, teacher, teacher, taskLoss, checkedTerms);
    }

    /// <summary>The weighted distillation terms, in the order they are computed.</summary>
    public IReadOnlyList<DistillationTerm> Terms { get; }

    /// <summary>
    /// Computes the frozen teacher's pass on the training rows once, so that <see cref="Step(Tensor, Tensor, Tensor, Tensor?)"/> reads it by row index instead
    /// of running the teacher; null, and the teacher stays live, when a term does not declare what it reads.
    /// </summary>
    /// <remarks>While the returned handle is held, every <see cref="Step(Tensor, Tensor, Tensor, Tensor?)"/> given indices must be on rows of this training
    /// set (a trainer's mini-batches; never validation or test rows). Disposing it releases the cache.</remarks>
    /// <param name="studentInputs">The training rows as the student reads them, <c>[N, ...]</c>; one row is run (eval mode,
    /// no gradient) for the shapes of the student's features when a term reads a summary pooled to them (attention transfer).</param>
    /// <param name="teacherInputs">The training rows as the teacher reads them, <c>[N, ...]</c>.</param>
    /// <param name="indices">Each row's index as <see cref="Step(Tensor, Tensor, Tensor, Tensor?)"/> will receive it, int64 <c>[N]</c>: the numbers 0..N-1 in
    /// any order (<see cref="Data.Tabular.TabularSplit.Indices"/>).</param>
    /// <param name="batchSize">The training batch size: the teacher runs on that many rows at a time, so that the cache holds
    /// what a live pass on a training batch gives (<see cref="TeacherPassCache.Build"/>).</param>
    /// <exception cref="ArgumentException">The indices are not 0..N-1, each once.</exception>
    public IDisposable? CacheTeacher(Tensor studentInputs, Tensor teacherInputs, Tensor indices, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(studentInputs);
        ArgumentNullException.ThrowIfNull(teacherInputs);
        ArgumentNullException.ThrowIfNull(indices);
        var parts = DeclaredParts();
        if (parts is null) return null;
        if (_cache is not null)
            throw new InvalidOperationException("The teacher's pass is already cached; dispose the handle CacheTeacher returned before caching again.");
        long rows = teacherInputs.shape[0];
        if (indices.dim() != 1 || indices.shape[0] != rows)
            throw new ArgumentException($"Indices must be [N] = [{rows}], one per training row, got [{string.Join(", ", indices.shape)}].", nameof(indices));
        Tensor byIndex; // [N, ...]: row r is the training row whose index is r, so that a batch's indices read its own rows
        using (NewDisposeScope())
        {
            var order = indices.argsort();
            if (!indices.index_select(0, order).equal(arange(rows, indices.dtype, indices.device)).all().item<bool>())
                throw new ArgumentException(
                    $"The training rows' indices are not 0..{rows - 1}, each once, so the teacher-pass cache cannot be read by them: " +
                    "number the rows 0..N-1 (as TeacherStudentData does) or set TrainingOptions.CacheTeacherPasses to false.", nameof(indices));
            byIndex = teacherInputs.index_select(0, order.to(teacherInputs.device)).MoveToOuterDisposeScope();
        }
        _teacher.eval();
        var shapes = parts.Summaries.Count > 0 ? FeatureShapes.Of(_student, _studentFeatures, studentInputs.narrow(0, 0, 1)) : null;
        using (byIndex) _cache = TeacherPassCache.Build(_teacherFeatures, byIndex, parts, shapes, batchSize);
        return new CacheHandle(this, _cache);
    }

    /// <summary>
    /// Runs the frozen teacher (eval mode, no gradient), or reads its pass from <see cref="CacheTeacher"/>'s cache by
    /// <paramref name="indices"/>, and the student once, and returns the total loss and every term.
    /// </summary>
    /// <param name="studentInput">The batch as the student sees it, <c>[B, ...]</c>.</param>
    /// <param name="teacherInput">The same examples as the teacher sees them (may carry privileged features), <c>[B, ...]</c>.</param>
    /// <param name="targets">The ground truth of the batch, <c>[B, ...]</c>, for the task loss and losses that need labels.</param>
    /// <param name="indices">Dataset row indices <c>[B]</c>, for losses with a memory bank (CRD) and for reading the
    /// teacher's cached pass; otherwise null (the teacher then runs live).</param>
    public DistillationStep Step(Tensor studentInput, Tensor teacherInput, Tensor targets, Tensor? indices = null)
    {
        CheckBatch(studentInput, teacherInput, targets, indices);
        using var scope = NewDisposeScope();
        var student = _studentFeatures.ForwardFeatures(studentInput);
        var step = Total(student, teacherInput, targets, indices, CheckScalar(_taskLoss(student.Output, targets), TaskTermName));
        foreach (var value in step.Terms.Values) value.MoveToOuterDisposeScope();
        return step with { Total = step.Total.MoveToOuterDisposeScope() };
    }

    /// <summary>
    /// The step of a student whose pass the caller has run and whose task loss the caller computed: a GAN's generator, whose
    /// one pass also trains its discriminator and whose task loss needs that discriminator (BeatGAN's reconstruction plus
    /// feature matching). Reads the teacher's pass as <see cref="Step(Tensor, Tensor, Tensor, Tensor?)"/> does and returns
    /// <c>task + Σ w_k L_k</c> and every term.
    /// </summary>
    /// <param name="student">The student's pass on the batch (carries gradient).</param>
    /// <param name="teacherInput">The batch as the teacher sees it, <c>[B, ...]</c>.</param>
    /// <param name="targets">The ground truth of the batch (for a GAN's generator, the input beats).</param>
    /// <param name="indices">Dataset row indices <c>[B]</c>, or null (see the other overload).</param>
    /// <param name="task">The student's task loss, a scalar.</param>
    public DistillationStep Step(FeatureOutput student, Tensor teacherInput, Tensor targets, Tensor? indices, Tensor task)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(task);
        CheckBatch(student.Output, teacherInput, targets, indices);
        return Total(student, teacherInput, targets, indices, CheckScalar(task, TaskTermName));
    }

    /// <summary>Accept a term whose value carries no gradient (off by default: such a term is a bug, since it cannot train the
    /// student); on only to reproduce the lab notes' constant KL and show that it changes nothing.</summary>
    public bool AcceptGradientFreeTerms { get; set; }

    // The teacher's pass (from the cache by row, or live in eval mode without gradient), then task + Σ w_k L_k.
    private DistillationStep Total(FeatureOutput student, Tensor teacherInput, Tensor targets, Tensor? indices, Tensor task)
    {
        DistillationContext context;
        if (_cache is not null && indices is not null) context = _cache.Context(student, targets, indices);
        else
        {
            _teacher.eval();
            FeatureOutput teacher;
            using (no_grad())
                teacher = _teacherFeatures.ForwardFeatures(teacherInput);
            context = new DistillationContext(student, teacher, targets, indices);
        }
        var terms = new Dictionary<string, Tensor> { [TaskTermName] = task };
        var total = task;
        foreach (var term in Terms)
        {
            var value = CheckScalar(term.Loss.Compute(context), term.Loss.Name);
            terms[term.Loss.Name] = value;
            total = total + value * term.Weight;
        }
        return new DistillationStep(total, terms);
    }

    /// <summary>The parameters the optimizer updates: the student's and the trainable ones of every loss, each once, never the teacher's.</summary>
    public IEnumerable<Parameter> TrainableParameters()
    {
        var seen = new HashSet<Parameter>(ReferenceEqualityComparer.Instance);
        // A loss may hold a reference to the teacher (to reuse its head); the teacher stays frozen regardless.
        foreach (var parameter in _teacher.parameters()) seen.Add(parameter);
        var owners = new List<nn.Module> { _student };
        owners.AddRange(Terms.Select(term => term.Loss));
        foreach (var owner in owners)
            foreach (var parameter in owner.parameters())
                if (seen.Add(parameter) && parameter.requires_grad) // frozen parts (FT's paraphraser) are not optimised
                    yield return parameter;
    }

    /// <summary>Puts the student and the loss modules in training mode (or eval mode when <paramref name="training"/> is false); the teacher stays in eval mode.</summary>
    public void Train(bool training = true)
    {
        _student.train(training);
        foreach (var term in Terms) term.Loss.train(training);
        _teacher.eval();
    }

    // What the terms read of the teacher together, or null when one does not say. BinaryAsTwoClassLoss rewrites only the
    // outputs it is given, so it reads what its inner loss reads.
    private TeacherPassParts? DeclaredParts()
    {
        var parts = TeacherPassParts.None;
        foreach (var term in Terms)
        {
            var loss = term.Loss;
            while (loss is BinaryAsTwoClassLoss wrapper) loss = wrapper.Inner;
            if (loss is not ITeacherPassReader reader) return null;
            parts = parts.Union(reader.TeacherParts);
        }
        return parts;
    }

    // Detaches and releases its cache, so that later steps run the teacher live.
    private sealed class CacheHandle(Distiller distiller, TeacherPassCache cache) : IDisposable
    {
        public void Dispose()
        {
            if (ReferenceEquals(distiller._cache, cache)) distiller._cache = null;
            cache.Dispose();
        }
    }

    private static List<DistillationTerm> CheckTerms(IEnumerable<DistillationTerm> terms)
    {
        var list = terms.ToList();
        var names = new HashSet<string>(StringComparer.Ordinal) { TaskTermName };
        foreach (var term in list)
        {
            if (term?.Loss is null)
                throw new ArgumentException("A distillation term has no loss; build each term as new DistillationTerm(loss, weight).");
            if (!double.IsFinite(term.Weight) || term.Weight < 0)
                throw new ArgumentOutOfRangeException(nameof(terms), term.Weight,
                    $"The weight of term '{term.Loss.Name}' must be finite and non-negative (got {term.Weight}).");
            if (!names.Add(term.Loss.Name))
                throw new ArgumentException(term.Loss.Name == TaskTermName
                    ? $"A distillation term may not be named '{TaskTermName}': that name is reserved for the student's task loss."
                    : $"Two distillation terms are both named '{term.Loss.Name}'; each term needs a distinct name so that its values can be logged. Combine them into one loss or rename one.");
        }
        return list;
    }

    private static void CheckBatch(Tensor studentInput, Tensor teacherInput, Tensor targets, Tensor? indices)
    {
        if (studentInput.dim() == 0 || teacherInput.dim() == 0 || targets.dim() == 0)
            throw new ArgumentException("Inputs and targets must have a leading batch dimension; got a scalar.");
        long batch = studentInput.shape[0];
        if (teacherInput.shape[0] != batch)
            throw new ArgumentException(
                $"Teacher and student batch sizes differ ({teacherInput.shape[0]} vs {batch}); give both networks the same examples (different features are fine).");
        if (targets.shape[0] != batch)
            throw new ArgumentException($"The targets hold {targets.shape[0]} examples but the batch has {batch}; slice targets with the same batch indices.");
        if (indices is not null && (indices.dim() != 1 || indices.shape[0] != batch))
            throw new ArgumentException(
                $"Indices must be [batch] = [{batch}] dataset row numbers, got [{string.Join(", ", indices.shape)}].");
    }

    private Tensor CheckScalar(Tensor value, string name)
    {
        if (value.numel() != 1)
            throw new InvalidOperationException(
                $"Term '{name}' returned a tensor of shape [{string.Join(", ", value.shape)}]; every loss must reduce to a scalar (mean over the batch).");
        if (is_grad_enabled() && !value.requires_grad && !(AcceptGradientFreeTerms && name != TaskTermName))
            throw new InvalidOperationException(
                $"Term '{name}' carries no gradient: it was computed from detached or copied scores (the lab notes' NumPy-score KL), so it " +
                "cannot train the student. Compute it from the student's output tensors directly, or set AcceptGradientFreeTerms only " +
                "to demonstrate that such a term changes nothing.");
        return value.reshape(Array.Empty<long>());
    }
}
