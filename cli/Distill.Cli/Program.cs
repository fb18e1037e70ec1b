using var stop = Distill.Cli.StopRequest.FromSignals();
return Distill.Cli.DistillCommandLine.Run(args, Console.Out, Console.Error, stop);
