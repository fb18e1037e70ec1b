using System.Globalization;
using Distill.Training;
using Distill.Training.BeatGan;

namespace Distill.Experiments.BeatGan;

/// <summary>Turns a BeatGAN trainer's reports into progress lines with counts, losses, the validation AUC, steps per second
/// and an ETA: one line at most every <c>interval</c> during an epoch, and one after every epoch that took longer than that
/// (always after the last).</summary>
/// <param name="label">Who trains, e.g. "fold 0 seed 1 teacher".</param>
/// <param name="log">Receives each line.</param>
/// <param name="interval">Least time between two lines within an epoch.</param>
public sealed class BeatGanProgressLines(string label, Action<string> log, TimeSpan interval)
    : IProgress<BeatGanProgress>, IProgress<BeatGanStudentEpoch>
{
    private readonly ProgressClock clock = new();
    private TimeSpan lastLine = TimeSpan.Zero, epochStart = TimeSpan.Zero;
    private double best = double.NegativeInfinity;
    private int bestEpoch;

    /// <summary>Steps per epoch, which student epochs do not report; set before training a student.</summary>
    public int StepsPerEpoch { get; init; }

    /// <summary>Epochs of the student run; set before training a student.</summary>
    public int Epochs { get; init; }

    /// <inheritdoc />
    public void Report(BeatGanProgress value)
    {
        ArgumentNullException.ThrowIfNull(value);
        clock.Update((long)(value.Epoch - 1) * value.Batches + value.Batch, (long)value.Epochs * value.Batches);
        var step = value.Step;
        if (value.CompletedEpoch is { } epoch)
        {
            if (epoch.ValidationScore > best) (best, bestEpoch) = (epoch.ValidationScore, epoch.Epoch);
            string test = epoch.Metrics?.TryGetValue("auc", out double auc) == true ? Text($"; test auc {auc:F4} (current weights)") : "";
            EpochLine(value.Epoch, value.Epochs, Text(
                $"D {epoch.DiscriminatorLoss:G4} rec {epoch.ReconstructionLoss:G4}; validation auc {epoch.ValidationScore:F4} (best {best:F4}, epoch {bestEpoch}){test}"));
        }
        else if (clock.Elapsed - lastLine >= interval)
            Line(Text($"epoch {value.Epoch}/{value.Epochs} step {value.Batch}/{value.Batches}: D {step.Discriminator:G4} rec {step.Reconstruction:G4}"));
    }

    /// <inheritdoc />
    public void Report(BeatGanStudentEpoch value)
    {
        ArgumentNullException.ThrowIfNull(value);
        clock.Update((long)value.Epoch * StepsPerEpoch, (long)Epochs * StepsPerEpoch);
        string terms = string.Concat(value.Terms.Select(t => Text($" {t.Key} {t.Value:G4}")));
        EpochLine(value.Epoch, Epochs, Text($"D {value.Discriminator:G4} rec {value.Reconstruction:G4}{terms}"));
    }

    private void EpochLine(int epoch, int epochs, string losses)
    {
        var took = clock.Elapsed - epochStart;
        epochStart = clock.Elapsed;
        if (took >= interval || epoch == epochs)
            Line($"epoch {epoch}/{epochs} done in {ProgressClock.Duration(took)}: {losses}");
    }

    private void Line(string text)
    {
        lastLine = clock.Elapsed;
        log($"{label}: {text} | {clock}");
    }

    private static string Text(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
