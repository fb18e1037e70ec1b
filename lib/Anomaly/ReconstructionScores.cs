using TorchSharp;
using Distill.Runtime;
using static TorchSharp.torch;

namespace Distill.Anomaly;

/// <summary>BeatGAN's anomaly score: how badly the generator reconstructs each beat.</summary>
/// <remarks>
/// Zhou et al., "BeatGAN: Anomalous Rhythm Detection using Adversarially Generated Time Series", IJCAI 2019,
/// Section 3 (anomaly score): A(x) = ||x − G(x)||², here as the mean over leads and samples, as the authors' code computes it;
/// scores are then min-max normalised over the evaluated set, so the least anomalous beat scores 0 and the most
/// anomalous 1. Normalisation is monotone: ROC AUC and average precision do not change, thresholds do.
/// <see cref="Errors"/> runs the generator in evaluation mode (running batch-norm statistics), as the authors' test does;
/// their validation ran it in training mode on shuffled batches, which makes each score depend on the other beats of its
/// batch: <see cref="ErrorsInTrainingBatches"/> reproduces that.
/// </remarks>
public static class ReconstructionScores
{
    /// <summary>Per-beat mean squared reconstruction error [N] of beats [N, C, L], computed in batches without gradient.</summary>
    /// <param name="reconstructor">A network mapping [B, C, L] to [B, C, L], e.g. a BeatGanGenerator.</param>
    /// <param name="beats">Beats [N, C, L]; moved batch by batch to the reconstructor's device.</param>
    /// <param name="batchSize">Beats per forward pass; only memory, not the result, depends on it.</param>
    public static Tensor Errors(nn.Module<Tensor, Tensor> reconstructor, Tensor beats, int batchSize = 256)
    {
        ArgumentNullException.ThrowIfNull(reconstructor);
        CheckBeats(beats, batchSize);
        long n = beats.shape[0];
        var device = DistillDevice.Of(reconstructor);
        var errors = empty(n, ScalarType.Float32, device);
        bool wasTraining = reconstructor.training;
        reconstructor.eval();
        try
        {
            using var _ = no_grad();
            for (long start = 0; start < n; start += batchSize)
            {
                using var scope = NewDisposeScope();
                long count = Math.Min(batchSize, n - start);
                errors.narrow(0, start, count).copy_(BatchErrors(reconstructor, beats.narrow(0, start, count).to(device)));
            }
        }
        finally
        {
            reconstructor.train(wasTraining);
        }
        return errors;
    }

    private static void CheckBeats(Tensor beats, int batchSize)
    {
        if (beats.dim() != 3 || beats.shape[0] == 0)
            throw new ArgumentException($"Beats must be shaped [N, leads, samples] with N > 0, got [{string.Join(", ", beats.shape)}].", nameof(beats));
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be positive.");
        if (beats.isnan().any().item<bool>())
            throw new ArgumentException("Beats contain NaN; clean or drop those beats before scoring.", nameof(beats));
    }

    // Mean squared error per beat of one batch x [B, C, L] → [B].
    private static Tensor BatchErrors(nn.Module<Tensor, Tensor> reconstructor, Tensor x)
    {
        var reconstruction = reconstructor.call(x);
        if (!reconstruction.shape.SequenceEqual(x.shape))
            throw new ArgumentException(
                $"The reconstructor returned [{string.Join(", ", reconstruction.shape)}] for beats [{string.Join(", ", x.shape)}]; " +
                "it must reproduce its input's shape.", nameof(reconstructor));
        return (x - reconstruction).square().flatten(1).mean([1L]);
    }

    /// <summary>Per-beat errors [N] as the BeatGAN authors' validation computes them: the reconstructor in training mode
    /// (batch-norm statistics of each batch, running statistics updated), on batches of <paramref name="batchSize"/> beats
    /// drawn in a shuffled order (the last one smaller), without gradient; returned in the beats' own order.</summary>
    /// <param name="reconstructor">A network mapping [B, C, L] to [B, C, L]; left in the mode it was in.</param>
    /// <param name="beats">Beats [N, C, L].</param>
    /// <param name="batchSize">Beats per batch (the training batch size, 64, in the authors' code).</param>
    /// <param name="order">Draws the shuffle.</param>
    public static Tensor ErrorsInTrainingBatches(nn.Module<Tensor, Tensor> reconstructor, Tensor beats, int batchSize, Random order)
    {
        ArgumentNullException.ThrowIfNull(reconstructor);
        ArgumentNullException.ThrowIfNull(order);
        CheckBeats(beats, batchSize);
        long n = beats.shape[0];
        var permutation = new long[n];
        for (long i = 0; i < n; i++) permutation[i] = i;
        order.Shuffle(permutation);
        var device = DistillDevice.Of(reconstructor);
        var errors = empty(n, ScalarType.Float32, device);
        bool wasTraining = reconstructor.training;
        reconstructor.train();
        try
        {
            using var _ = no_grad();
            for (long start = 0; start < n; start += batchSize)
            {
                using var scope = NewDisposeScope();
                var rows = tensor(permutation.AsSpan((int)start, (int)Math.Min(batchSize, n - start)).ToArray(), device: beats.device);
                var x = beats.index_select(0, rows).to(device); // [B, C, L]
                errors.index_copy_(0, rows.to(device), BatchErrors(reconstructor, x));
            }
        }
        finally
        {
            reconstructor.train(wasTraining);
        }
        return errors;
    }

    /// <summary>BeatGAN's validation scores as the authors compute them (<see cref="ErrorsInTrainingBatches"/>), min-max
    /// normalised to [0, 1], as doubles in the beats' order.</summary>
    public static double[] ComputeInTrainingBatches(nn.Module<Tensor, Tensor> reconstructor, Tensor beats, int batchSize, Random order)
    {
        using var scope = NewDisposeScope();
        var scores = MinMaxNormalise(ErrorsInTrainingBatches(reconstructor, beats, batchSize, order));
        return scores.cpu().to_type(ScalarType.Float64).data<double>().ToArray();
    }

    /// <summary>Rescales errors to [0, 1]: (e − min) / (max − min) over the given set.</summary>
    public static Tensor MinMaxNormalise(Tensor errors)
    {
        if (errors.dim() != 1 || errors.shape[0] == 0)
            throw new ArgumentException($"Errors must be a non-empty vector [N], got [{string.Join(", ", errors.shape)}].", nameof(errors));
        var min = errors.min();
        var range = errors.max() - min;
        if (range.item<float>() <= 0f)
            throw new ArgumentException(
                "All errors are equal, so min-max normalisation is undefined; score a set with more than one distinct beat.", nameof(errors));
        return (errors - min) / range;
    }

    /// <summary>BeatGAN's scores for a set of beats: reconstruction errors min-max normalised to [0, 1], as doubles.</summary>
    public static double[] Compute(nn.Module<Tensor, Tensor> reconstructor, Tensor beats, int batchSize = 256)
    {
        using var scope = NewDisposeScope();
        var scores = MinMaxNormalise(Errors(reconstructor, beats, batchSize));
        return scores.cpu().to_type(ScalarType.Float64).data<double>().ToArray();
    }
}
