namespace XceptionCompiler.Runtime.Networks;

/// <summary>Argument checks shared by every generated network, with messages that name the network and the sizes.</summary>
public static class NetworkGuard
{
    public static void CheckMaxBatch(string network, int maxBatch)
    {
        if (maxBatch < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxBatch), maxBatch, $"{network}: the maximum batch must be at least 1");
        }
    }

    public static void CheckForward(string network, int batch, int maxBatch, int inputLength, int inputFloats, int logitsLength, int outputFeatures)
    {
        if (batch < 1 || batch > maxBatch)
        {
            throw new ArgumentOutOfRangeException(nameof(batch), batch, $"{network}: batch must be from 1 to {maxBatch}, the maximum this instance was built for");
        }

        if (inputLength < (long)batch * inputFloats)
        {
            throw new ArgumentException($"{network}: the input holds {inputLength} floats but a batch of {batch} needs {(long)batch * inputFloats} ({inputFloats} per image)", "input");
        }

        if (logitsLength < (long)batch * outputFeatures)
        {
            throw new ArgumentException($"{network}: the logits span holds {logitsLength} floats but a batch of {batch} needs {(long)batch * outputFeatures}", "logits");
        }
    }

    public static void CheckBackward(string network, int trainedBatch, int logitsGradientLength, int outputFeatures, int inputGradientLength, int inputFloats)
    {
        if (trainedBatch == 0)
        {
            throw new InvalidOperationException($"{network}: Backward needs a ForwardTrain first, one Backward per ForwardTrain, and no ForwardEval in between (its memory plan overwrites what Backward reads)");
        }

        if (logitsGradientLength < (long)trainedBatch * outputFeatures)
        {
            throw new ArgumentException($"{network}: the logits gradient holds {logitsGradientLength} floats but the last batch of {trainedBatch} needs {(long)trainedBatch * outputFeatures}", "logitsGradient");
        }

        if (inputGradientLength != 0 && inputGradientLength < (long)trainedBatch * inputFloats)
        {
            throw new ArgumentException($"{network}: the input gradient holds {inputGradientLength} floats but the last batch of {trainedBatch} needs {(long)trainedBatch * inputFloats} (pass an empty span to skip it)", "inputGradient");
        }
    }
}
