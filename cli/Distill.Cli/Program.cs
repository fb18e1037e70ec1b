return Distill.Cli.DistillCommandLine.Run(args, Console.Out, Console.Error);
