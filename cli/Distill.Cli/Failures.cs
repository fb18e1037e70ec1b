using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using Distill.Data;
using Distill.Training;
using Distill.Training.Checkpoints;

namespace Distill.Cli;

/// <summary>The one place where a command's failures become a message on stderr and an <see cref="ExitCode"/>: no stack
/// trace reaches the user, whatever the command throws.</summary>
public static partial class Failures
{
    /// <summary>Runs <paramref name="body"/> and maps what it throws to an exit code (see <see cref="Classify"/>), writing one
    /// line "kind: message" to <see cref="Terminal.Error"/>.</summary>
    public static int Guard(Terminal terminal, Func<ExitCode> body)
    {
        ArgumentNullException.ThrowIfNull(terminal);
        ArgumentNullException.ThrowIfNull(body);
        try
        {
            return (int)body();
        }
        catch (Exception error)
        {
            var (code, kind) = Classify(error);
            if (error is StoppedException && terminal.Stop.Signal is not null) code = terminal.Stop.ExitCode;
            terminal.Error.WriteLine(error is StoppedException ? error.Message : $"{kind}: {Printable(Message(error))}");
            return (int)code;
        }
    }

    /// <summary>The exit code and the word for the message of <paramref name="error"/>.</summary>
    public static (ExitCode Code, string Kind) Classify(Exception error) => error switch
    {
        StoppedException => (ExitCode.Interrupted, "stopped"),
        UsageException => (ExitCode.BadUsage, "usage"),
        FileWriteException or OutputFolderException => (ExitCode.OutputFailed, "cannot write output"),
        CheckpointInUseException => (ExitCode.CheckpointInUse, "checkpoint in use"),
        NonFiniteLossException => (ExitCode.TrainingFailed, "training failed"),
        OutOfMemoryException => (ExitCode.TrainingFailed, "out of memory"),
        ExternalException external when IsAllocation(external.Message) => (ExitCode.TrainingFailed, "out of memory"),
        // Missing, unreadable, corrupt or mismatched inputs: data, teacher weights, checkpoints.
        InvalidFileException or IOException or InvalidDataException or FormatException or UnauthorizedAccessException
            => (ExitCode.BadData, "bad data"),
        InvalidOperationException or ArgumentException => (ExitCode.TrainingFailed, "training failed"),
        _ => (ExitCode.InternalError, "internal error (a bug in distill; please report it with the command line)"),
    };

    private static bool IsAllocation(string message) => message.Contains("alloc", StringComparison.OrdinalIgnoreCase);

    private static string Message(Exception error) => error switch
    {
        OutOfMemoryException or ExternalException => $"{error.Message} Use smaller widths, batch or data.",
        ArgumentException argument => ParameterSuffix().Replace(argument.Message, ""),
        _ when Classify(error).Code == ExitCode.InternalError => $"{error.GetType().Name}: {error.Message}",
        _ => error.Message,
    };

    [GeneratedRegex(@" \(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();

    /// <summary><paramref name="text"/> in printable characters (and line breaks): a damaged file's bytes quoted in a message are
    /// shown as <c>\xNN</c>, never sent raw to the terminal (where they could move the cursor or change its settings).</summary>
    public static string Printable(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c == '\n') result.Append(c);
            else if (c is '\r' or '\t') result.Append(' ');
            else if (char.IsControl(c) || char.IsSurrogate(c) || c == '\uFFFD') result.Append($"\\x{(int)c:X2}");
            else result.Append(c);
        }
        return result.ToString();
    }
}

/// <summary>A usage error found only when the command runs (a renamed option's old meaning, a combination of values).</summary>
/// <param name="message">What is wrong and what to type instead.</param>
public sealed class UsageException(string message) : Exception(message);

/// <summary>An output or checkpoint folder cannot be created or written; raised by the probe before any training.</summary>
/// <param name="message">Which folder, why, and what to do.</param>
/// <param name="inner">The underlying error.</param>
public sealed class OutputFolderException(string message, Exception inner) : IOException(message, inner);
