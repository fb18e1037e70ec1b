namespace Distill.Training;

/// <summary>An <see cref="IProgress{T}"/> that calls its handler immediately on the training thread.</summary>
/// <remarks><see cref="Progress{T}"/> posts to a synchronisation context, so a notebook or console would see
/// updates late or out of order; training reports are cheap and must appear as they happen.</remarks>
/// <param name="handler">Called with each report.</param>
public sealed class SyncProgress<T>(Action<T> handler) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => handler(value);
}
