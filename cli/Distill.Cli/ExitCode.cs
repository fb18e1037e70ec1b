namespace Distill.Cli;

/// <summary>Process exit codes of <c>distill</c>, so scripts can tell a typo from bad data from a diverging run.</summary>
/// <remarks>The README's exit-code table lists the same codes; <c>ExitCodeTests</c> checks that it does.</remarks>
public enum ExitCode
{
    /// <summary>Every run finished.</summary>
    Success = 0,

    /// <summary>An unexpected error: a bug in distill (the message says what failed; please report it).</summary>
    InternalError = 1,

    /// <summary>The command line is wrong (unknown or renamed option, unparsable number, value out of range); nothing ran.</summary>
    BadUsage = 2,

    /// <summary>An input file is missing, unreadable, corrupt or does not fit the model (data, teacher weights, checkpoints).</summary>
    BadData = 3,

    /// <summary>Training failed (for example the loss became NaN, or memory ran out); any checkpoint written so far is kept.</summary>
    TrainingFailed = 4,

    /// <summary>An output could not be written (the --out or --checkpoint folder cannot be created or written, the disk is full);
    /// checked before training starts, so no training is lost to it.</summary>
    OutputFailed = 5,

    /// <summary>Another distill process is using the same checkpoint folder; nothing ran.</summary>
    CheckpointInUse = 6,

    /// <summary>Stopped by Ctrl-C (SIGINT, 128 + 2) after writing the last epoch's checkpoint; rerun the same command to resume.</summary>
    Interrupted = 130,

    /// <summary>Stopped by SIGTERM (128 + 15) after writing the last epoch's checkpoint; rerun the same command to resume.</summary>
    Terminated = 143,
}
