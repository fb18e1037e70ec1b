using System.CommandLine;
using System.CommandLine.Help;
using Spectre.Console;

namespace Distill.Cli;

/// <summary>The <c>distill</c> command line: parses, validates, runs a subcommand and returns an <see cref="ExitCode"/>.</summary>
public static class DistillCommandLine
{
    /// <summary>Runs <paramref name="args"/>, writing normal output to <paramref name="output"/> and usage errors to <paramref name="error"/>.</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = output == Console.Out ? AnsiSupport.Detect : AnsiSupport.No,
        });
        if (output != Console.Out || Console.IsOutputRedirected) console.Profile.Width = 160; // logs and tests: no wrapping at 80 columns
        // Not a RootCommand: that one is named after the executable, "distill", which the tokenizer would confuse with
        // the "distill" subcommand; help and version are added by hand instead.
        var root = new Command("Distill",
            "Knowledge distillation experiments on tabular data (Distill library). Exit codes: 0 success, 2 bad usage, 3 bad data, 4 training failure.")
        {
            new HelpOption(),
            new VersionOption(),
            TrainTeacherCommand.Create(console),
            DistillCommand.Create(console),
            DataCommand.Create(console),
            ReproduceCommand.Create(console),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors) error.WriteLine(problem.Message);
            error.WriteLine("Run 'distill --help' or 'distill COMMAND --help' for the options.");
            return (int)ExitCode.BadUsage;
        }
        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}
