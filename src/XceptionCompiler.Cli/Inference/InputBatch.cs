using XceptionCompiler.Cli.Infrastructure;
using XceptionCompiler.Runtime.Checkpoints;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Cli.Inference;

/// <summary>
/// The <c>input</c> tensor of a safetensors file: a batch of images [N, C, H, W] for one network.
/// Read in two steps because the batch size is needed to create the network whose input shape it is checked against.
/// </summary>
internal static class InputBatch
{
    public const string TensorName = "input";

    /// <summary>N of the file's [N, C, H, W] input tensor; any other rank is an error naming the file and the expected shape.</summary>
    public static int BatchSize(SafeTensorsFile file, string modelName)
    {
        var info = file.GetInfo(TensorName);
        if (info.Shape.Length != 4 || info.Shape[0] < 1)
        {
            var expected = CompiledNetworks.Create(modelName, maxBatch: 1).InputShape;
            throw ShapeError(file.Path, info, modelName, expected);
        }
        return info.Shape[0];
    }

    /// <summary>Reads the batch after checking each image is the network's <see cref="ICompiledNetwork.InputShape"/>.</summary>
    public static float[] Read(SafeTensorsFile file, ICompiledNetwork network)
    {
        var info = file.GetInfo(TensorName);
        if (!info.Shape.AsSpan(1).SequenceEqual(network.InputShape))
            throw ShapeError(file.Path, info, network.Name, network.InputShape);
        return file.ReadFloats(TensorName);
    }

    private static CliException ShapeError(string path, SafeTensorInfo info, string modelName, int[] expected) =>
        CliException.Failure($"{path}: tensor '{TensorName}' has shape {info.ShapeText}, but {modelName} expects (N, {string.Join(", ", expected)}) with N >= 1");
}
