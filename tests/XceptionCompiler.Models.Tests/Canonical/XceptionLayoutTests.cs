using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Models.Tests.Canonical;

/// <summary>The canonical network is the paper's Xception with timm's legacy_xception tensor names and shapes.</summary>
public sealed class XceptionLayoutTests
{
    private static readonly Lazy<Xception> Network = new(() => new Xception(maxBatch: 1));

    [Fact]
    public void ParameterCountsMatchThePaper()
    {
        Assert.Equal(22_855_952, Network.Value.Parameters.Length);
        Assert.Equal(54_528, Network.Value.Statistics.Length);
        Assert.Equal(236, Network.Value.Tensors.Count);
        Assert.Equal(22_855_952, Xception.TrainableCount);
    }

    [Fact]
    public void TensorNamesShapesAndOrderEqualTimmsStateDict()
    {
        string[] rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Data", "xception_param_names.tsv")).Skip(1).ToArray();
        Assert.Equal(rows.Length, Network.Value.Tensors.Count);
        for (int i = 0; i < rows.Length; i++)
        {
            string[] columns = rows[i].Split('\t');
            NetworkTensor tensor = Network.Value.Tensors[i];
            Assert.True(columns[1] == tensor.Name, $"tensor {i}: expected {columns[1]}, got {tensor.Name}");
            Assert.True(columns[2] == tensor.ShapeText, $"{tensor.Name}: expected shape {columns[2]}, got {tensor.ShapeText}");
        }
    }

    [Fact]
    public void SpatialSizesFollowThePaper()
    {
        IReadOnlyList<GraphNode> graph = Network.Value.Graph;
        int SizeOf(string name) => graph.Single(n => n.Name == name).OutputShape[1];

        Assert.Equal(149, SizeOf("bn1"));
        Assert.Equal(147, SizeOf("bn2"));
        Assert.Equal(74, SizeOf("block1.skipbn"));
        Assert.Equal(37, SizeOf("block2.skipbn"));
        Assert.Equal(19, SizeOf("block3.skipbn"));
        Assert.Equal(19, SizeOf("block11.rep.8"));
        Assert.Equal(10, SizeOf("block12.skipbn"));
        Assert.Equal(new[] { 1000, 1, 1 }, graph[^1].OutputShape);
        Assert.Equal(1000, Network.Value.OutputSize);
    }

    [Fact]
    public void MultiplyAddsAreTimmsFigure()
    {
        // timm reports about 8.4 G multiply-adds per 299x299 image.
        Assert.InRange(Xception.MultiplyAddsPerImage, 8.3e9, 8.5e9);
        Assert.Equal(Xception.MultiplyAddsPerImage, Network.Value.Graph.Sum(n => n.MultiplyAdds));
    }
}
