using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Training;

/// <summary>
/// Exponential moving average of the weights (the paper's Polyak averaging; MindCV's ema / ema_decay):
/// avg = decay * avg + (1 - decay) * w after every optimizer step. Batch-norm running statistics are averaged too,
/// so evaluation with the averaged weights uses matching statistics. <see cref="SwapInto"/> exchanges the averaged
/// and live values so evaluation runs on the average and training resumes on the live weights.
/// </summary>
public sealed class WeightAverage
{
    private readonly ICompiledNetwork network;

    public WeightAverage(ICompiledNetwork network, float decay)
    {
        if (decay is <= 0f or >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(decay), decay, "ema_decay must be between 0 and 1");
        }

        this.network = network;
        Decay = decay;
        Parameters = (float[])network.Parameters.Clone();
        Statistics = (float[])network.Statistics.Clone();
    }

    public float Decay { get; }

    public float[] Parameters { get; }

    public float[] Statistics { get; }

    public void Update()
    {
        Blend(Parameters, network.Parameters);
        Blend(Statistics, network.Statistics);
    }

    /// <summary>Swaps averaged and live values; call again to swap back.</summary>
    public void SwapInto()
    {
        Swap(Parameters, network.Parameters);
        Swap(Statistics, network.Statistics);
    }

    private void Blend(float[] average, float[] live)
    {
        for (int i = 0; i < average.Length; i++)
        {
            average[i] = (Decay * average[i]) + ((1 - Decay) * live[i]);
        }
    }

    private static void Swap(float[] a, float[] b)
    {
        for (int i = 0; i < a.Length; i++)
        {
            (a[i], b[i]) = (b[i], a[i]);
        }
    }
}
