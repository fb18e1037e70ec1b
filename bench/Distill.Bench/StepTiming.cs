using System.Diagnostics;

namespace Distill.Bench;

/// <summary>The timing of the step benchmarks: wall-clock and process CPU time (less sensitive to other processes on shared
/// cores), and a step's time as the difference of an (epochs + 1)-epoch and a 1-epoch run, so that set-up (building the
/// networks, a teacher-pass cache) and the first epoch cancel.</summary>
internal static class StepTiming
{
    /// <summary>Wall-clock and process CPU milliseconds of <paramref name="run"/>.</summary>
    public static (double Wall, double Cpu) Time(Action run)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        run();
        clock.Stop();
        return (clock.Elapsed.TotalMilliseconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds);
    }

    /// <summary>Milliseconds per step of the <paramref name="epochs"/> epochs after the first: <paramref name="run"/> trains
    /// for the given number of epochs and returns its <see cref="Time"/>; the timed epochs take <paramref name="steps"/> steps.</summary>
    public static (double Wall, double Cpu) PerStep(Func<int, (double Wall, double Cpu)> run, int epochs, double steps)
    {
        var warm = run(1);
        var total = run(epochs + 1);
        return ((total.Wall - warm.Wall) / steps, (total.Cpu - warm.Cpu) / steps);
    }
}
