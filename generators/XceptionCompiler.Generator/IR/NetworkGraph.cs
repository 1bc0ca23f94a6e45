using System.Collections.Generic;
using System.Linq;
using XceptionCompiler.Generator.Common;

namespace XceptionCompiler.Generator.IR
{
    /// <summary>
    /// The lowered network: nodes in topological order (node 0 is the input, the last node is the output),
    /// every shape concrete. One graph serves every backend's emitter. Immutable and structurally equatable.
    /// </summary>
    internal sealed record NetworkGraph(string Name, string FilePath, EquatableArray<Node> Nodes)
    {
        public Node Input => Nodes[0];

        public Node Output => Nodes[Nodes.Count - 1];

        /// <summary>Every tensor in checkpoint order (the order nodes declare them).</summary>
        public IEnumerable<ParameterSpec> Parameters => Nodes.SelectMany(n => n.Parameters);

        /// <summary>The nodes that read each node's output.</summary>
        public IReadOnlyList<IReadOnlyList<int>> Consumers()
        {
            var consumers = Nodes.Select(_ => new List<int>()).ToArray();
            foreach (Node node in Nodes)
            {
                foreach (int input in node.Inputs)
                {
                    consumers[input].Add(node.Id);
                }
            }

            return consumers;
        }
    }
}
