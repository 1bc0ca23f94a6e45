using System.CommandLine;
using System.Globalization;
using XceptionCompiler.Cli.Infrastructure;
using XceptionCompiler.Runtime.Checkpoints;
using XceptionCompiler.Runtime.Configuration;
using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Training;

namespace XceptionCompiler.Cli.Commands;

/// <summary>
/// `xception predict`: the top-5 classes of each image, through the eval transform of the config (default: the
/// embedded Fashion-MNIST recipe). Class names come from the checkpoint's metadata when train wrote them.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var images = new Argument<string[]>("images") { Description = "Image files (JPEG, PNG, BMP, WebP).", Arity = ArgumentArity.OneOrMore };
        var command = new Command("predict", "Print the top-5 classes of each image, with the weights of --ckpt-path.") { images };
        ConfigOptions.AddTo(command);
        command.SetAction(parse =>
        {
            TrainConfig config = ConfigOptions.Read(parse, DefaultConfig.Load());
            return Execute(config, CheckpointClasses.RequirePath(config), parse.GetRequiredValue(images), parse.InvocationConfiguration.Output);
        });
        return command;
    }

    private static int Execute(TrainConfig config, string checkpointPath, string[] images, TextWriter output)
    {
        ICompiledNetwork network = CompiledNetworks.Create(CompiledNetworks.FromConfig(config.Model), maxBatch: 1);
        IReadOnlyList<string>? classes = CheckpointClasses.From(Checkpoint.Load(network, checkpointPath));
        ImageTransform transform = Transforms.Create(config.Dataset, training: false, TrainingData.Augmentation(config), network.InputShape[0]);
        var pixels = new PixelImage(channels: network.InputShape[0]);
        var scratch = new TransformScratch();
        var input = new float[network.InputShape.Aggregate(1, (a, b) => a * b)];
        var logits = new float[network.OutputSize];
        int failures = 0;
        foreach (string path in images)
        {
            try
            {
                ImageDecoder.Decode(path, pixels);
            }
            catch (ImageDecodeException error)
            {
                output.WriteLine($"{path}: cannot read: {error.Message}");
                failures++;
                continue;
            }

            // The eval transform draws no random numbers; a fixed generator keeps it a pure function of the image.
            transform.Apply(pixels, new SampleRandom(0), scratch, input);
            network.ForwardEval(input, 1, logits);
            Softmax(logits);
            output.WriteLine(path);
            foreach (int k in TopK.Indices(logits, Math.Min(5, logits.Length)))
            {
                string name = classes is not null && k < classes.Count ? classes[k] : "class " + k;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {logits[k],7:P2}  {k,4}  {name}"));
            }
        }

        return failures == 0 ? ExitCodes.Ok : ExitCodes.Failure;
    }

    private static void Softmax(Span<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (float value in logits)
        {
            max = MathF.Max(max, value);
        }

        double sum = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] = MathF.Exp(logits[i] - max);
            sum += logits[i];
        }

        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] = (float)(logits[i] / sum);
        }
    }
}
