using System.Runtime.InteropServices;

namespace Distill.Cli;

/// <summary>Turns Ctrl-C (SIGINT) and SIGTERM into a cancellation the trainers honour: training stops cleanly after the
/// checkpoint of the last complete epoch, and the process exits with 130 or 143. A second signal ends the process at once.</summary>
public sealed class StopRequest : IDisposable
{
    private readonly CancellationTokenSource source = new();
    private readonly List<PosixSignalRegistration> registrations = [];

    /// <summary>A request that only <see cref="Request"/> sets (tests, embedding).</summary>
    public StopRequest()
    {
    }

    /// <summary>The cancellation the trainers receive.</summary>
    public CancellationToken Token => source.Token;

    /// <summary>The signal that asked to stop, or null.</summary>
    public PosixSignal? Signal { get; private set; }

    /// <summary>A request set by this process's SIGINT and SIGTERM.</summary>
    public static StopRequest FromSignals()
    {
        var stop = new StopRequest();
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM })
            stop.registrations.Add(PosixSignalRegistration.Create(signal, context =>
            {
                if (stop.Signal is not null) return; // the second signal: default handling ends the process
                context.Cancel = true;
                stop.Request(signal);
            }));
        return stop;
    }

    /// <summary>Asks the running command to stop as <paramref name="signal"/> would.</summary>
    public void Request(PosixSignal signal)
    {
        Signal ??= signal;
        source.Cancel();
    }

    /// <summary>The exit code of a stop by <see cref="Signal"/>.</summary>
    public ExitCode ExitCode => Signal == PosixSignal.SIGTERM ? ExitCode.Terminated : ExitCode.Interrupted;

    /// <summary>Throws <see cref="StoppedException"/> with <paramref name="message"/> when a stop was requested.</summary>
    /// <param name="message">Where the work stopped and what was kept ("stopped after epoch 3 of the teacher; rerun ...").</param>
    public void ThrowIfRequested(string message)
    {
        if (Signal is not null) throw new StoppedException(message);
    }

    /// <summary>Removes the signal handlers.</summary>
    public void Dispose()
    {
        foreach (var registration in registrations) registration.Dispose();
        source.Dispose();
    }
}

/// <summary>A command stopped on request after writing its checkpoints; the guard prints the message and exits 130 or 143.</summary>
/// <param name="message">Where the work stopped and what was kept.</param>
public sealed class StoppedException(string message) : Exception(message);
