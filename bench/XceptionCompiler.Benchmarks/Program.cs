using BenchmarkDotNet.Running;
using XceptionCompiler.Benchmarks.Infrastructure;

// Every benchmark class runs the suite's short job unless the command line names another (see bench/README.md).
[assembly: SuiteJob]

BenchmarkSwitcher.FromAssembly(typeof(SuiteJobAttribute).Assembly).Run(args);
