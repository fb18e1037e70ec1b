using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Losses.Crd;

/// <summary>Draws, for each batch row, the memory rows CRD contrasts it with: one positive and K negatives.</summary>
/// <remarks>
/// Tian, Krishnan &amp; Isola, "Contrastive Representation Distillation", ICLR 2020, Sec. 3.4 and 4; RepDistiller does
/// this in the data set (<c>CIFAR100InstanceSample</c>) and, without labels, with the memory's alias sampler.
/// Here it runs on the device given at construction (CRD's) from the batch's row indices:
/// <list type="bullet">
/// <item>Positives: <see cref="PositiveSampling.Exact"/> uses the row itself, <see cref="PositiveSampling.Relax"/> a
/// uniformly drawn row of the same class.</item>
/// <item><see cref="NegativeSampling.PerRow"/> with labels: K rows of other classes, without replacement, as the
/// reference's <c>np.random.choice(cls_negative, K, replace=False)</c>. When K exceeds the smallest such pool all rows
/// are drawn with replacement (the reference switches per class) and <see cref="Warning"/> says so.</item>
/// <item>Without labels, or with <see cref="NegativeSampling.Shared"/>: uniform rows drawn with replacement by
/// <see cref="AliasSampler"/>, as the reference's memory does when it gets no contrast indices.</item>
/// </list>
/// </remarks>
public sealed class ContrastiveIndexSampler : IDisposable
{
    private readonly AliasSampler uniform;
    private readonly Tensor? labels;        // [N] int64 class of each data row
    private readonly Tensor? byClass;       // [N] data rows sorted by class
    private readonly Tensor? classStart;    // [C] first position of each class in byClass
    private readonly Tensor? classCount;    // [C] rows per class
    private readonly torch.Generator? generator;

    /// <summary>Creates a sampler over a data set of <paramref name="dataCount"/> rows.</summary>
    /// <param name="dataCount">Number of rows N of the training set (the memory's size).</param>
    /// <param name="negatives">K, negatives per positive; at least 1.</param>
    /// <param name="positives">Exact or relax positives; relax needs <paramref name="labels"/>.</param>
    /// <param name="negativeSampling">Per-row negatives (reference) or one shared set per batch.</param>
    /// <param name="labels">Class of each data row (int64 [N], values in [0, C)), or null when the data are unlabelled.</param>
    /// <param name="generator">Torch generator for the draws; null uses torch's global generator.</param>
    /// <param name="device">Where the tables live and draws are made; null keeps TorchSharp's default, the CPU. <see cref="CrdLoss"/> passes its own.</param>
    public ContrastiveIndexSampler(long dataCount, int negatives, PositiveSampling positives = PositiveSampling.Exact,
        NegativeSampling negativeSampling = NegativeSampling.PerRow, Tensor? labels = null, torch.Generator? generator = null, Device? device = null)
    {
        if (dataCount < 2)
            throw new ArgumentOutOfRangeException(nameof(dataCount), dataCount, "Contrastive sampling needs a data set of at least 2 rows.");
        if (negatives < 1)
            throw new ArgumentOutOfRangeException(nameof(negatives), negatives, "CRD needs at least one negative per positive (K >= 1).");
        if (positives == PositiveSampling.Relax && labels is null)
            throw new ArgumentException("Relax positives are rows of the same class: pass the data set's labels, or use PositiveSampling.Exact.", nameof(labels));

        DataCount = dataCount;
        Negatives = negatives;
        Positives = positives;
        NegativeSampling = negativeSampling;
        this.generator = generator;
        uniform = AliasSampler.Uniform(dataCount, device);
        SamplesWithReplacement = true;

        if (labels is not null)
        {
            if (labels.dim() != 1 || labels.shape[0] != dataCount)
                throw new ArgumentException($"Labels must be a [N] = [{dataCount}] tensor, one class per data row, but the shape is [{string.Join(", ", labels.shape)}].", nameof(labels));
            if (labels.dtype is not (ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte))
                throw new ArgumentException($"Labels must be integer class indices, not {labels.dtype}.", nameof(labels));
            this.labels = labels.to(ScalarType.Int64).to(uniform.Device);
            using var lowest = this.labels.min();
            long low = lowest.item<long>();
            if (low < 0)
                throw new ArgumentException($"Labels must be class indices >= 0, but one is {low}.", nameof(labels));
            using var counts = this.labels.bincount(null, 0);
            classCount = counts.to(ScalarType.Int64);
            classStart = classCount.cumsum(0).sub(classCount);
            byClass = this.labels.argsort();
            using var present = classCount.masked_select(classCount.gt(0));
            using var largest = present.max();
            long largestClass = largest.item<long>();
            long smallestPool = dataCount - largestClass;
            if (smallestPool == 0)
                throw new ArgumentException("Every data row has the same label, so there is no row of another class to use as a negative; pass no labels to draw uniform negatives.", nameof(labels));
            if (negativeSampling == NegativeSampling.PerRow)
            {
                SamplesWithReplacement = negatives > smallestPool;
                if (SamplesWithReplacement)
                    Warning = $"K = {negatives} negatives exceed the {smallestPool} rows outside the largest class: negatives are drawn with replacement, so rows repeat.";
            }
        }
        if (Warning is null && negatives > dataCount)
            Warning = $"K = {negatives} negatives exceed the {dataCount} rows of the data set: negatives are drawn with replacement, so rows repeat.";
    }

    /// <summary>Number of rows N of the data set.</summary>
    public long DataCount { get; }

    /// <summary>K, negatives per positive.</summary>
    public int Negatives { get; }

    /// <summary>How positives are chosen.</summary>
    public PositiveSampling Positives { get; }

    /// <summary>Whether negatives are drawn per row or shared by the batch.</summary>
    public NegativeSampling NegativeSampling { get; }

    /// <summary>The device the tables live on and draws are made on.</summary>
    public Device Device => uniform.Device;

    /// <summary>True when a row's negatives may repeat (uniform alias draws, or K larger than the pool of other-class rows).</summary>
    public bool SamplesWithReplacement { get; }

    /// <summary>The torch generator the draws come from, or null when they come from torch's global one (a training
    /// checkpoint saves its state).</summary>
    public torch.Generator? Generator => generator;

    /// <summary>Why the negatives are not what one would expect (K larger than the data), or null; show it to the user.</summary>
    public string? Warning { get; }

    /// <summary>Draws positives [B] and negatives ([B, K] per row or [K] shared) for the batch's data rows.</summary>
    /// <param name="rows">Data-set row index of each batch row, int64 [B] in [0, N).</param>
    public ContrastIndices Sample(Tensor rows)
    {
        ValidateRows(rows, DataCount);
        using var scope = torch.NewDisposeScope();
        var on = rows.to(uniform.Device);
        var positives = Positives switch
        {
            PositiveSampling.Exact => on.clone(),
            PositiveSampling.Relax => SameClassRows(on),
            _ => throw new ArgumentOutOfRangeException(nameof(Positives), Positives, "Unknown positive sampling."),
        };
        var negatives = NegativeSampling switch
        {
            NegativeSampling.PerRow => labels is null ? uniform.Draw([on.shape[0], Negatives], generator) : OtherClassRows(on),
            NegativeSampling.Shared => uniform.Draw([Negatives], generator),
            _ => throw new ArgumentOutOfRangeException(nameof(NegativeSampling), NegativeSampling, "Unknown negative sampling."),
        };
        return new ContrastIndices(positives.MoveToOuterDisposeScope(), negatives.MoveToOuterDisposeScope());
    }

    /// <summary>Throws unless <paramref name="rows"/> is an int64 tensor ([B] when <paramref name="vector"/>) of row indices in [0, <paramref name="dataCount"/>).</summary>
    internal static void ValidateRows(Tensor rows, long dataCount, string what = "batch row indices", bool vector = true)
    {
        if (vector && rows.dim() != 1)
            throw new ArgumentException($"The {what} must be a 1-D tensor [B], but the shape is [{string.Join(", ", rows.shape)}].", nameof(rows));
        if (rows.dtype != ScalarType.Int64)
            throw new ArgumentException($"The {what} must be integer data-set row indices (int64), not {rows.dtype}.", nameof(rows));
        if (rows.numel() == 0) return;
        using var scope = torch.NewDisposeScope();
        var range = torch.stack([rows.min(), rows.max()]).cpu().data<long>(); // one transfer
        long low = range[0], high = range[1];
        if (low < 0 || high >= dataCount)
            throw new ArgumentOutOfRangeException(nameof(rows),
                $"The {what} range over [{low}, {high}] but the memory has {dataCount} rows (valid: 0..{dataCount - 1}); " +
                "pass each sample's position in the training set and build CRD with that set's size.");
    }

    // A uniformly drawn row of each row's class: position start[c] + floor(u * count[c]) in the class-sorted rows.
    private Tensor SameClassRows(Tensor rows)
    {
        var cls = labels!.index_select(0, rows);
        var count = classCount!.index_select(0, cls);
        var u = torch.rand(rows.shape, dtype: ScalarType.Float64, device: rows.device, generator: generator);
        var offset = u.mul(count).floor().to(ScalarType.Int64).minimum(count.sub(1));
        return byClass!.index_select(0, classStart!.index_select(0, cls).add(offset));
    }

    // K rows of other classes than each row's. A position in [0, pool) among the rows of other classes maps to the
    // class-sorted rows by skipping the own class's block. Without replacement the positions are the first K of a
    // random permutation of the pool (one randperm per row: far cheaper than ranking N random keys per row).
    private Tensor OtherClassRows(Tensor rows)
    {
        var cls = labels!.index_select(0, rows);                    // [B]
        var start = classStart!.index_select(0, cls).unsqueeze(1);  // [B, 1]
        var count = classCount!.index_select(0, cls).unsqueeze(1);  // [B, 1]
        var pool = count.neg().add(DataCount);                      // [B, 1] rows of other classes
        long batch = rows.shape[0];
        Tensor position;
        if (SamplesWithReplacement)
        {
            var u = torch.rand([batch, Negatives], dtype: ScalarType.Float64, device: rows.device, generator: generator);
            position = u.mul(pool).floor().to(ScalarType.Int64).minimum(pool.sub(1)); // [B, K]
        }
        else
        {
            var poolSizes = pool.cpu().data<long>().ToArray();
            position = batch == 0
                ? torch.empty([0, Negatives], dtype: ScalarType.Int64, device: rows.device)
                : torch.stack(poolSizes.Select(n => torch.randperm(n, generator: generator, device: rows.device).narrow(0, 0, Negatives))); // [B, K]
        }
        position = torch.where(position.lt(start), position, position.add(count));
        return byClass!.index_select(0, position.flatten()).view(batch, Negatives);
    }

    /// <summary>Releases the sampler's tables.</summary>
    public void Dispose()
    {
        uniform.Dispose();
        labels?.Dispose();
        byClass?.Dispose();
        classStart?.Dispose();
        classCount?.Dispose();
    }
}
