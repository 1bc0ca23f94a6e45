using System.CommandLine;
using XceptionCompiler.Cli.Inference;
using XceptionCompiler.Cli.Infrastructure;
using XceptionCompiler.Runtime.Checkpoints;
using XceptionCompiler.Runtime.Gpu;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Cli.Commands;

/// <summary>
/// `xception run`: tensors in, logits out, for cross-framework checks. Reads <c>input</c> [N, C, H, W] from a
/// safetensors file, loads a checkpoint with timm's tensor names, runs one forward and writes <c>logits</c> [N, classes].
/// <para>
/// Evaluation mode uses the running statistics, as PyTorch's <c>model.eval()</c>. With --train-mode the forward uses
/// batch statistics with dropout switched off, so the result is deterministic and equals PyTorch's <c>model.train()</c>
/// with dropout disabled (p = 0); the running statistics it updates are not written anywhere.
/// </para>
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var model = CommonOptions.Model();
        var checkpoint = CommonOptions.File("--checkpoint", "Weights as safetensors with timm's state_dict names (num_batches_tracked is ignored).");
        var input = CommonOptions.File("--input", "Safetensors file holding tensor 'input' of shape [N, C, H, W].");
        var output = CommonOptions.File("--output", "Safetensors file to write tensor 'logits' [N, classes] to (replaced atomically).");
        var trainMode = new Option<bool>("--train-mode")
        {
            Description = "Forward in training mode: batch statistics, dropout off (deterministic; compare with PyTorch's model.train() without dropout).",
        };
        var device = CommonOptions.Device();
        var command = new Command("run", "Run a compiled network on tensors from a safetensors file and write the logits.")
        {
            model,
            checkpoint,
            input,
            output,
            trainMode,
            device,
        };
        command.SetAction(parse => Execute(
            parse.GetRequiredValue(model),
            parse.GetRequiredValue(checkpoint),
            parse.GetRequiredValue(input),
            parse.GetRequiredValue(output),
            parse.GetValue(trainMode),
            CommonOptions.ParseDevice(parse.GetRequiredValue(device)),
            parse.InvocationConfiguration.Output));
        return command;
    }

    private static int Execute(string modelName, string checkpointPath, string inputPath, string outputPath, bool trainMode, ComputeDevice device, TextWriter output)
    {
        CompiledNetworks.Require(modelName);

        // The batch in the input file sizes the network, so the file is opened before the network exists.
        ICompiledNetwork network;
        float[] input;
        using (var inputFile = SafeTensorsFile.Open(inputPath))
        {
            network = CompiledNetworks.Create(modelName, maxBatch: InputBatch.BatchSize(inputFile, modelName));
            input = InputBatch.Read(inputFile, network);
        }
        Checkpoint.Load(network, checkpointPath);

        int batch = network.MaxBatch;
        var logits = new float[batch * network.OutputSize];
        using GpuSession? session = GpuSession.Open(device);
        using GpuNetwork? gpu = GpuNetworks.Open(network, session, output);

        // Dropout off keeps the training-mode result a function of the weights and input alone.
        network.DropoutEnabled = false;
        if (gpu is not null)
        {
            gpu.DropoutEnabled = false;
        }

        if (!trainMode)
        {
            (gpu ?? (IInferenceNetwork)network).ForwardEval(input, batch, logits);
        }
        else if (gpu is not null)
        {
            gpu.ForwardTrain(input, batch, logits);
        }
        else
        {
            network.ForwardTrain(input, batch, logits);
        }

        string mode = trainMode ? "train" : "eval";
        int[] shape = [batch, network.OutputSize];
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            ["model"] = network.Name,
            ["mode"] = mode,
            ["device"] = gpu is null ? "cpu" : "gpu",
            ["checkpoint"] = Path.GetFileName(checkpointPath),
        };
        try
        {
            SafeTensorsWriter.WriteFile(outputPath, [new SafeTensor("logits", shape, logits)], metadata);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Failure($"{outputPath}: cannot write the logits ({e.Message})", e);
        }

        output.WriteLine($"{network.Name} ({mode}): {batch} image{(batch == 1 ? "" : "s")} -> logits {TextFormat.TupleShape(shape)} written to {outputPath}");
        return ExitCodes.Ok;
    }
}
