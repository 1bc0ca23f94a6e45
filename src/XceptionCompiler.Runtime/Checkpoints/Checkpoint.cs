using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Checkpoints;

/// <summary>
/// A network's weights as a safetensors file with timm's state_dict names, so checkpoints move to and from PyTorch.
/// Trainable tensors map to <see cref="ICompiledNetwork.Parameters"/>, running statistics to <see cref="ICompiledNetwork.Statistics"/>.
/// </summary>
public static class Checkpoint
{
    /// <summary>
    /// Loads every tensor of the network from <paramref name="path"/>. Strict: a missing, unknown, wrongly shaped or
    /// integer tensor is an error, all of them reported in one <see cref="CheckpointException"/>;
    /// <c>*.num_batches_tracked</c> is ignored. The network is unchanged unless the whole load succeeds.
    /// Returns the file's metadata.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Load(ICompiledNetwork network, string path)
    {
        using var file = SafeTensorsFile.Open(path);
        return Load(network, file);
    }

    /// <summary>Loads from a file already open (to read its metadata first, say); same rules as <see cref="Load(ICompiledNetwork, string)"/>.</summary>
    public static IReadOnlyDictionary<string, string> Load(ICompiledNetwork network, SafeTensorsFile file)
    {
        var match = CheckpointMatch.Find(network, file);
        if (match.Problems.Count > 0)
            throw match.ToException(file.Path, network.Name);

        // Read into copies first: a read error halfway (the file changing under us) must not leave a half-loaded network.
        var parameters = (float[])network.Parameters.Clone();
        var statistics = (float[])network.Statistics.Clone();
        foreach (var tensor in network.Tensors)
            file.ReadFloats(tensor.Name, Slice(tensor, parameters, statistics).Span);
        parameters.CopyTo(network.Parameters, 0);
        statistics.CopyTo(network.Statistics, 0);
        return file.Metadata;
    }

    /// <summary>
    /// Saves every tensor of the network, in <see cref="ICompiledNetwork.Tensors"/> order, atomically.
    /// Metadata records the network name and PyTorch's format tag; entries in <paramref name="metadata"/> override them.
    /// </summary>
    public static void Save(ICompiledNetwork network, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var all = new Dictionary<string, string> { ["format"] = "pt", ["network"] = network.Name };
        foreach (var (key, value) in metadata ?? new Dictionary<string, string>())
            all[key] = value;
        var tensors = network.Tensors.Select(t => new SafeTensor(t.Name, t.Shape, Slice(t, network.Parameters, network.Statistics)));
        SafeTensorsWriter.WriteFile(path, tensors, all);
    }

    private static Memory<float> Slice(NetworkTensor tensor, float[] parameters, float[] statistics) =>
        (tensor.Trainable ? parameters : statistics).AsMemory(tensor.Offset, tensor.Length);
}
