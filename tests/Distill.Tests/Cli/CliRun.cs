using Distill.Cli;

namespace Distill.Tests.Cli;

/// <summary>Runs the <c>distill</c> command line inside the test process, capturing what it writes: the one helper the CLI
/// tests share (<c>using static Distill.Tests.Cli.CliRun;</c>).</summary>
public static class CliRun
{
    /// <summary>Runs <paramref name="args"/>; returns the exit code, standard output and standard error.</summary>
    public static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = DistillCommandLine.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs <paramref name="args"/>; returns the exit code and standard output followed by standard error.</summary>
    public static (int Code, string Output) RunCombined(params string[] args)
    {
        var (code, output, error) = Run(args);
        return (code, output + error);
    }
}
