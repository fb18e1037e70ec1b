using TorchSharp;

namespace Distill.Runtime;

/// <summary>Seeds every source of randomness the library uses, in one call.</summary>
public static class Reproducibility
{
    /// <summary>
    /// Seeds torch (CPU and, when present, CUDA generators) and returns a managed <see cref="Random"/>
    /// seeded the same way for shuffling, splits and sampling done in C#.
    /// </summary>
    /// <remarks>
    /// Library components that need managed randomness take a <see cref="Random"/> or a seed explicitly;
    /// none reads a global one, so two runs with the same seed make the same draws in the same order.
    /// </remarks>
    public static Random Seed(int seed)
    {
        torch.manual_seed(seed);
        if (torch.cuda.is_available()) torch.cuda.manual_seed_all(seed);
        return new Random(seed);
    }
}
