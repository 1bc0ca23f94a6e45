using XceptionCompiler.Generator.IR;

namespace XceptionCompiler.Generator.Emit
{
    /// <summary>Multiply-adds per image of each node (convolutions and dense layers; elementwise ops count zero, as timm's figures do).</summary>
    internal static class Costs
    {
        public static long MultiplyAdds(NetworkGraph graph, Node node)
        {
            Shape output = node.Output;
            switch (node.Op)
            {
                case ConvOp conv:
                    return (long)output.Channels * output.Spatial * graph.Nodes[node.Inputs[0]].Output.Channels * conv.Kernel * conv.Kernel;
                case DepthwiseOp depthwise:
                    return (long)output.Channels * output.Spatial * depthwise.Kernel * depthwise.Kernel;
                case DenseOp dense:
                    return (long)dense.Units * graph.Nodes[node.Inputs[0]].Output.Channels;
                default:
                    return 0;
            }
        }
    }
}
