using System.Collections;
using Distill.Losses;
using Distill.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Distill.Distillation;

/// <summary>The frozen teacher's forward pass on a fixed training set, computed once and read by row index.</summary>
/// <remarks>
/// Distillation in the sense of Hinton, Vinyals &amp; Dean (2015) and RepDistiller (Tian et al., ICLR 2020) keeps the
/// teacher frozen and in evaluation mode, so its pass on a training row is a function of that row alone (BatchNorm uses
/// its running statistics, there is no dropout): the pass of a batch equals the rows of the pass of the whole set, computed
/// in forwards of the batch's size (see <see cref="Build"/>'s chunk). The
/// cache holds only the <see cref="TeacherPassParts"/> the terms read, in the teacher's dtype on its device.
/// Memory per 10,000 rows is 10,000 × 4 bytes × (the output's and each stored feature's elements per row); for BeatGAN
/// (nc = 1, L = 320, teacher ngf = 32, nz = 50): the reconstruction 12.8 MB (rec-kd, score-kd, d-at), the latent code
/// 2.0 MB (latent, crd). Attention transfer stores its normalised maps (<see cref="TeacherSummary"/>), not the features they
/// summarise: at's five encoder blocks are 160 + 80 + 40 + 20 + 10 = 310 floats per beat, 12.4 MB, where the features
/// would take 1.02 GB (5 × 5,120 floats); d-at's maps of the teacher discriminator on G_T(x) are 310 floats, 12.4 MB.
/// A read of a part the terms did not declare throws, naming the part.
/// </remarks>
public sealed class TeacherPassCache : IDisposable
{
    private readonly Tensor? output;
    private readonly Dictionary<int, Tensor> features;
    private readonly Dictionary<string, Tensor> summaries;
    private readonly int featureCount;
    private readonly long rows;

    private TeacherPassCache(Tensor? output, Dictionary<int, Tensor> features, Dictionary<string, Tensor> summaries, int featureCount, long rows)
    {
        this.output = output;
        this.features = features;
        this.summaries = summaries;
        this.featureCount = featureCount;
        this.rows = rows;
    }

    /// <summary>Runs <paramref name="teacher"/> without gradient over <paramref name="inputs"/> in chunks and keeps <paramref name="parts"/>.</summary>
    /// <param name="teacher">The frozen teacher; it must be in evaluation mode already (the caller froze it).</param>
    /// <param name="inputs">The whole training set [N, ...], on the teacher's device.</param>
    /// <param name="parts">What the terms read.</param>
    /// <param name="student">The shapes of the student's features (<see cref="FeatureShapes.Of{TModel}"/>), which a summary
    /// may depend on (a map pooled to the student's length); needed only when <paramref name="parts"/> has summaries.</param>
    /// <param name="chunk">Rows per teacher forward: give the training batch size. The stored values are those of a live pass on
    /// a batch of that many rows, bit for bit; a batch of another size may differ in the last bits on CPUs whose kernels
    /// depend on the batch size (measured on an AMD EPYC at 2 threads: batches of 1 and 7 rows against one of 48).</param>
    public static TeacherPassCache Build(IFeatureModel teacher, Tensor inputs, TeacherPassParts parts, FeatureShapes? student = null, int chunk = 1024)
    {
        ArgumentNullException.ThrowIfNull(teacher);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(parts);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunk, 1);
        if (teacher is nn.Module { training: true })
            throw new InvalidOperationException("The teacher is in training mode; its pass then depends on the batch, so it cannot be cached. Call teacher.eval() first.");
        if (parts.Summaries.Count > 0 && student is null)
            throw new ArgumentNullException(nameof(student), "The terms read summaries of the teacher's pass, which depend on the student's feature shapes; pass FeatureShapes.Of(student, sample).");
        long n = inputs.shape[0];
        var outputs = new List<Tensor>();
        var kept = new Dictionary<int, List<Tensor>>();
        var summarised = parts.Summaries.ToDictionary(s => s.Key, _ => new List<Tensor>());
        int count = -1;
        bool needed = parts.Output || parts.Features.Count > 0 || parts.Summaries.Count > 0; // nothing to keep: no teacher pass at all
        using (no_grad())
            for (long start = 0; needed && start < n; start += chunk)
            {
                using var scope = NewDisposeScope();
                // Every row is computed in a forward of exactly `chunk` rows (the last one overlaps the one before), as in
                // training batches of that size: some CPUs' kernels round differently for other batch sizes.
                long first = Math.Max(0, Math.Min(start, n - chunk)), skip = start - first;
                var pass = teacher.ForwardFeatures(inputs.narrow(0, first, Math.Min(chunk, n - first)));
                if (count < 0)
                {
                    count = pass.Features.Count;
                    foreach (int index in parts.Features) kept.TryAdd(Resolve(index, count), []);
                }
                if (parts.Output) outputs.Add(New(pass.Output, skip));
                foreach (var (index, list) in kept) list.Add(New(pass.Features[index], skip));
                foreach (var summary in parts.Summaries) summarised[summary.Key].Add(New(summary.Of(pass, student!), skip));
            }
        var stored = kept.ToDictionary(kv => kv.Key, kv => Concatenate(kv.Value));
        var storedSummaries = summarised.ToDictionary(kv => kv.Key, kv => Concatenate(kv.Value));
        return new TeacherPassCache(parts.Output ? Concatenate(outputs) : null, stored, storedSummaries, Math.Max(count, 0), n);
    }

    /// <summary>Rows the cache was built on.</summary>
    public long Rows => rows;

    /// <summary>Bytes held by the stored tensors.</summary>
    public long Bytes => Stored.Sum(t => t.NumberOfElements * t.ElementSize);

    /// <summary>The teacher's pass on the rows <paramref name="index"/> (int64 [B]) of the training set: what a live pass on those rows returns,
    /// for the stored parts; reading any other part throws.</summary>
    public FeatureOutput Read(Tensor index)
    {
        ArgumentNullException.ThrowIfNull(index);
        var onDevice = OnDevice(index);
        var selected = features.ToDictionary(kv => kv.Key, kv => kv.Value.index_select(0, onDevice));
        return new FeatureOutput(output?.index_select(0, onDevice) ?? empty(0), new CachedFeatures(selected, featureCount),
                                 new CachedFeatures([], featureCount));
    }

    /// <summary>A batch's context as the terms see it: the student's pass and the targets, with the teacher's pass
    /// (<see cref="Read"/>) and its summaries on the rows <paramref name="index"/> (int64 [B]) of the training set.</summary>
    public DistillationContext Context(FeatureOutput student, Tensor targets, Tensor index)
    {
        ArgumentNullException.ThrowIfNull(student);
        ArgumentNullException.ThrowIfNull(index);
        var onDevice = OnDevice(index);
        return new DistillationContext(student, Read(index), targets, index)
        {
            TeacherSummaries = summaries.ToDictionary(kv => kv.Key, kv => kv.Value.index_select(0, onDevice)),
        };
    }

    /// <summary>Releases the stored tensors.</summary>
    public void Dispose()
    {
        foreach (var tensor in Stored) tensor.Dispose();
    }

    private Tensor OnDevice(Tensor index) => index.to(Stored.FirstOrDefault()?.device ?? index.device);

    private IEnumerable<Tensor> Stored => (output is null ? [] : new[] { output }).Concat(features.Values).Concat(summaries.Values);

    // The rows of a chunk not stored already, kept past the chunk's scope.
    private static Tensor New(Tensor chunk, long skip) => chunk.detach().narrow(0, skip, chunk.shape[0] - skip).MoveToOuterDisposeScope();

    private static Tensor Concatenate(List<Tensor> parts)
    {
        var joined = cat(parts, 0);
        foreach (var part in parts) part.Dispose();
        return joined;
    }

    private static int Resolve(int index, int count)
    {
        int resolved = index < 0 ? count + index : index;
        if (resolved < 0 || resolved >= count)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"A term declares teacher feature {index}, but the teacher has {count} features.");
        return resolved;
    }

    // The teacher's feature list as the terms index it; positions that were not cached throw instead of returning another tensor.
    private sealed class CachedFeatures(Dictionary<int, Tensor> stored, int count) : IReadOnlyList<Tensor>
    {
        public int Count => count;

        public Tensor this[int index] => stored.TryGetValue(index, out var tensor) ? tensor
            : throw new InvalidOperationException(
                $"The teacher-pass cache holds features [{string.Join(", ", stored.Keys.Order())}] but a term read feature {index}: " +
                "list it in the term's TeacherParts (ITeacherPassReader).");

        public IEnumerator<Tensor> GetEnumerator()
        {
            for (int i = 0; i < count; i++) yield return this[i];
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
