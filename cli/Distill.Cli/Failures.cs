using Distill.Training;
using Spectre.Console;

namespace Distill.Cli;

/// <summary>Runs a command body and turns its failures into a message and an <see cref="ExitCode"/>.</summary>
public static class Failures
{
    /// <summary>Runs <paramref name="body"/>; bad input files give <see cref="ExitCode.BadData"/>, a failed run <see cref="ExitCode.TrainingFailed"/>.</summary>
    public static int Guard(IAnsiConsole console, Func<ExitCode> body)
    {
        try
        {
            return (int)body();
        }
        catch (Exception error) when (error is IOException or InvalidDataException or FormatException or UnauthorizedAccessException)
        {
            // Missing, unreadable, corrupt or mismatched files: data, teacher weights, checkpoints.
            Report(console, "bad data", error);
            return (int)ExitCode.BadData;
        }
        catch (NonFiniteLossException error)
        {
            Report(console, "training failed", error);
            return (int)ExitCode.TrainingFailed;
        }
        catch (Exception error) when (error is InvalidOperationException or ArgumentException)
        {
            Report(console, "training failed", error);
            return (int)ExitCode.TrainingFailed;
        }
    }

    private static void Report(IAnsiConsole console, string kind, Exception error)
        => console.MarkupLine($"[red]{kind}:[/] {Markup.Escape(error.Message)}");
}
