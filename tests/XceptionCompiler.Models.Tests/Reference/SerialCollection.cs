namespace XceptionCompiler.Models.Tests.Reference;

/// <summary>Tests that measure process-wide counters run in this collection, never beside other tests.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial";
}
