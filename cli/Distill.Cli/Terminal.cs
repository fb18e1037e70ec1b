using Spectre.Console;

namespace Distill.Cli;

/// <summary>Where a command writes: its progress and results to <see cref="Out"/>, its errors to <see cref="Error"/>
/// (stderr, one plain line each, never wrapped or coloured), and the request to stop that Ctrl-C or SIGTERM makes.</summary>
/// <param name="output">Progress and results.</param>
/// <param name="error">Error messages.</param>
/// <param name="stop">Set by Ctrl-C or SIGTERM; commands stop after the current epoch's checkpoint.</param>
public sealed class Terminal(IAnsiConsole output, TextWriter error, StopRequest stop)
{
    /// <summary>Progress and results.</summary>
    public IAnsiConsole Out { get; } = output;

    /// <summary>Error messages.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>The request to stop.</summary>
    public StopRequest Stop { get; } = stop;
}
