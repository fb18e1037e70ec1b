using System.CommandLine;
using System.CommandLine.Help;
using Spectre.Console;

namespace Distill.Cli;

/// <summary>The <c>distill</c> command line: parses, validates, runs a subcommand and returns an <see cref="ExitCode"/>.</summary>
public static class DistillCommandLine
{
    /// <summary>The exit codes in one line, for the help text.</summary>
    public const string ExitCodes = "Exit codes: 0 success, 1 internal error, 2 bad usage, 3 bad data, 4 training failure, 5 cannot write output, " +
                                    "6 checkpoint folder in use, 130 stopped by Ctrl-C, 143 stopped by SIGTERM.";

    /// <summary>Runs <paramref name="args"/>, writing normal output to <paramref name="output"/> and every error to
    /// <paramref name="error"/>; <paramref name="stop"/> (Ctrl-C, SIGTERM) stops training cleanly.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error, StopRequest? stop = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = output == Console.Out ? AnsiSupport.Detect : AnsiSupport.No,
        });
        if (output != Console.Out || Console.IsOutputRedirected) console.Profile.Width = 160; // logs and tests: no wrapping at 80 columns
        using var ownStop = stop is null ? new StopRequest() : null;
        var terminal = new Terminal(console, error, stop ?? ownStop!);
        var root = Create(terminal);
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var problem in parse.Errors) error.WriteLine(Failures.Printable(problem.Message));
                error.WriteLine("Run 'distill --help' or 'distill COMMAND --help' for the options.");
                return (int)ExitCode.BadUsage;
            }
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception unexpected)
        {
            // Failures.Guard handles every command body; this catches the parser's own failures.
            return Failures.Guard(terminal, () => throw unexpected);
        }
    }

    /// <summary>The command tree (every command and option, not yet parsed), writing to <paramref name="terminal"/>.</summary>
    public static Command Create(Terminal terminal) =>
        // Not a RootCommand: that one is named after the executable, "distill", which the tokenizer would confuse with
        // the "distill" subcommand; help and version are added by hand instead.
        new("Distill", "Knowledge distillation experiments on tabular data and ECG beats (Distill library). " + ExitCodes)
        {
            new HelpOption(),
            new VersionOption(),
            TrainTeacherCommand.Create(terminal),
            DistillCommand.Create(terminal),
            DataCommand.Create(terminal),
            ReproduceCommand.Create(terminal),
        };
}
