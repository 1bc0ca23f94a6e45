using XceptionCompiler.Cli;

return XceptionCli.Run(args, Console.Out, Console.Error);
