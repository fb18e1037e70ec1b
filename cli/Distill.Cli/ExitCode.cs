namespace Distill.Cli;

/// <summary>Process exit codes of <c>distill</c>, so scripts can tell a typo from bad data from a diverging run.</summary>
public enum ExitCode
{
    /// <summary>Every run finished.</summary>
    Success = 0,

    /// <summary>The command line is wrong (unknown option, value out of range); nothing ran.</summary>
    BadUsage = 2,

    /// <summary>An input file is missing, unreadable, corrupt or does not fit the model.</summary>
    BadData = 3,

    /// <summary>Training failed (for example the loss became NaN); any checkpoint written so far is kept.</summary>
    TrainingFailed = 4,
}
