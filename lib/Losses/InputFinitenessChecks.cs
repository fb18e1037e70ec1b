namespace Distill.Losses;

/// <summary>Whether the losses check their inputs for NaN and infinity themselves, or leave it to a trainer that reads every
/// loss value once per step.</summary>
/// <remarks>Called on their own, the losses check each input (logits, features) and name the one that is not finite; each
/// check is a device-to-host read. A trainer already reads all of a step's loss values in one transfer, and a NaN or
/// infinite input makes its term's value NaN or infinite, so inside <see cref="DeferToLossValues"/> the losses skip their
/// checks and the trainer names the term whose value is not finite (issue 15: no sync per loss on the hot path).</remarks>
public static class InputFinitenessChecks
{
    [ThreadStatic] private static int deferrals;

    /// <summary>Whether the losses on this thread leave NaN/Inf detection to the caller's reading of their values.</summary>
    public static bool Deferred => deferrals > 0;

    /// <summary>Until the returned scope is disposed, the losses on this thread skip their per-input NaN/Inf checks; the
    /// caller must read every loss value and report a non-finite one by its term's name.</summary>
    public static IDisposable DeferToLossValues()
    {
        deferrals++;
        return new Deferral();
    }

    private sealed class Deferral : IDisposable
    {
        private bool disposed;

        public void Dispose()
        {
            if (disposed) return;
            disposed = true;
            deferrals--;
        }
    }
}
