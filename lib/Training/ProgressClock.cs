using System.Diagnostics;
using System.Globalization;

namespace Distill.Training;

/// <summary>Rate and time left of a long run counted in steps, for progress lines ("1,950/19,500 steps, 1.72 steps/s, ETA 2 h 50 min").</summary>
/// <remarks>The rate is measured over the steps of this process only, so a run resumed from a checkpoint is not credited
/// with steps it did not take.</remarks>
public sealed class ProgressClock
{
    private readonly Stopwatch clock = new();
    private long firstSteps = -1;

    /// <summary>Steps done so far (of this run, resumed ones included).</summary>
    public long Done { get; private set; }

    /// <summary>Steps the run has in all.</summary>
    public long Total { get; private set; }

    /// <summary>Records that <paramref name="done"/> of <paramref name="total"/> steps are done; the first call starts the clock.</summary>
    public void Update(long done, long total)
    {
        if (firstSteps < 0)
        {
            firstSteps = done;
            clock.Start();
        }
        (Done, Total) = (done, total);
    }

    /// <summary>Steps per second in this process (NaN before the first step).</summary>
    public double StepsPerSecond => Done > firstSteps && clock.Elapsed.TotalSeconds > 0 ? (Done - firstSteps) / clock.Elapsed.TotalSeconds : double.NaN;

    /// <summary>Time since the first update.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>Estimated time to the last step, or null while no rate is known.</summary>
    public TimeSpan? Remaining => double.IsFinite(StepsPerSecond) ? TimeSpan.FromSeconds((Total - Done) / StepsPerSecond) : null;

    /// <summary>"1,950/19,500 steps, 1.72 steps/s, ETA 2 h 50 min".</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Done:N0}/{Total:N0} steps, {(double.IsFinite(StepsPerSecond) ? StepsPerSecond.ToString("G3", CultureInfo.InvariantCulture) : "?")} steps/s, " +
        $"ETA {(Remaining is { } left ? Duration(left) : "?")}");

    /// <summary>A duration in the largest two units: "2 h 50 min", "4 min 12 s", "9 s".</summary>
    public static string Duration(TimeSpan t) => t.TotalHours >= 1 ? $"{(int)t.TotalHours} h {t.Minutes} min"
        : t.TotalMinutes >= 1 ? $"{t.Minutes} min {t.Seconds} s"
        : $"{Math.Max(0, t.Seconds)} s";
}
