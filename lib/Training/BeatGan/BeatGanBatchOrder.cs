using System.Globalization;

namespace Distill.Training.BeatGan;

/// <summary>The batch order of both BeatGAN trainers: one <see cref="Random"/> seeded once per run shuffles the training beats
/// each epoch, and the settings text that ties a checkpoint to a run.</summary>
/// <remarks>Published results were drawn this way, so it is kept; a resumed run replays the completed epochs' shuffles to
/// reach the same position of the generator (a shuffle of N rows draws the same N − 1 numbers whatever it shuffles).</remarks>
internal static class BeatGanBatchOrder
{
    /// <summary>The rows 0 … count−1 in the next epoch's order.</summary>
    public static long[] Shuffled(int count, Random random)
    {
        var order = new long[count];
        for (int i = 0; i < count; i++) order[i] = i;
        random.Shuffle(order);
        return order;
    }

    /// <summary>Advances <paramref name="random"/> past <paramref name="epochs"/> completed epochs' shuffles.</summary>
    public static void Replay(int count, Random random, int epochs)
    {
        for (int epoch = 0; epoch < epochs; epoch++) Shuffled(count, random);
    }

    /// <summary>Everything of a run's training options that shapes its epochs, in words; the epoch count is left out, so a
    /// finished run can be extended with more epochs.</summary>
    public static string Describe(BeatGanTrainingOptions o, long trainBeats) => string.Create(CultureInfo.InvariantCulture,
        $"batch {o.BatchSize}, Adam lr {o.LearningRate:R} betas ({o.Beta1:R}, {o.Beta2:R}), w_adv {o.AdversarialWeight:R}, " +
        $"D re-initialised below {o.ReinitThreshold:R}, seed {o.Seed}, {trainBeats} training beats");
}
