using Xunit;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>Cartesian products of named shapes, batch sizes and boolean options, as xunit theory rows.</summary>
internal static class TheoryCases
{
    /// <summary>The batch sizes every kernel is tested with.</summary>
    public static readonly int[] Batches = [1, 3];

    /// <summary>Both values of a boolean option.</summary>
    public static readonly bool[] Both = [false, true];

    public static TheoryData<string, int> Of(IEnumerable<string> shapes)
    {
        var data = new TheoryData<string, int>();
        foreach (string shape in shapes)
        {
            foreach (int batch in Batches)
            {
                data.Add(shape, batch);
            }
        }

        return data;
    }

    public static TheoryData<string, int, bool> Of(IEnumerable<string> shapes, bool[] option)
    {
        var data = new TheoryData<string, int, bool>();
        foreach ((string shape, int batch) in Pairs(shapes))
        {
            foreach (bool a in option)
            {
                data.Add(shape, batch, a);
            }
        }

        return data;
    }

    public static TheoryData<string, int, bool, bool> Of(IEnumerable<string> shapes, bool[] first, bool[] second)
    {
        var data = new TheoryData<string, int, bool, bool>();
        foreach ((string shape, int batch) in Pairs(shapes))
        {
            foreach (bool a in first)
            {
                foreach (bool b in second)
                {
                    data.Add(shape, batch, a, b);
                }
            }
        }

        return data;
    }

    private static IEnumerable<(string Shape, int Batch)> Pairs(IEnumerable<string> shapes) =>
        shapes.SelectMany(shape => Batches.Select(batch => (shape, batch)));
}
