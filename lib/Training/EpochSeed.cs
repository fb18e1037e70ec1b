namespace Distill.Training;

/// <summary>A <see cref="Random"/> for one epoch of one run, seeded by (seed, epoch) through SplitMix64.</summary>
/// <remarks>No state carries over between epochs, so a run resumed from a checkpoint draws what an uninterrupted one
/// draws, and neighbouring seeds do not share epochs' draws (Steele, Lea, Flood, "Fast splittable pseudorandom number
/// generators", OOPSLA 2014, for the SplitMix64 finaliser).</remarks>
internal static class EpochSeed
{
    /// <summary>The generator of epoch <paramref name="epoch"/> of the run seeded <paramref name="seed"/>.</summary>
    public static Random For(int seed, int epoch)
    {
        ulong z = ((ulong)(uint)seed << 32 | (uint)epoch) + 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return new Random((int)((z ^ (z >> 31)) & int.MaxValue));
    }
}
