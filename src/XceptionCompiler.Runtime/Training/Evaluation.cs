using XceptionCompiler.Runtime.Data;
using XceptionCompiler.Runtime.Networks;

namespace XceptionCompiler.Runtime.Training;

/// <summary>Top-1 and top-5 accuracy and mean cross-entropy (no label smoothing) over a data set, as MindCV's validate.py reports them.</summary>
public sealed record EvaluationResult(double Top1, double Top5, double Loss, long Samples);

/// <summary>Runs a network in evaluation mode over every batch of a loader.</summary>
public static class Evaluation
{
    /// <param name="progress">Called after each batch with (batches done, batches in all).</param>
    public static EvaluationResult Run(IInferenceNetwork network, DataLoader loader, IGradientReducer reducer, Action<int, int>? progress = null)
    {
        int classes = network.OutputSize;
        var logits = new float[network.MaxBatch * classes];
        var scratch = new float[classes];
        // loss sum, top-1 hits, top-5 hits, samples: summed over replicas at the end.
        var totals = new double[4];
        int done = 0;
        foreach (Batch batch in loader.Epoch(epoch: 0))
        {
            network.ForwardEval(batch.ValidImages, batch.Count, logits);
            for (int i = 0; i < batch.Count; i++)
            {
                // A sharded split pads ranks to equal length by repeating samples; those count once, on their own rank.
                if (batch.IsPadding[i])
                {
                    continue;
                }

                ReadOnlySpan<float> row = logits.AsSpan(i * classes, classes);
                totals[0] += SoftmaxCrossEntropy.Compute(row, batch.Labels.AsSpan(i, 1), 1, classes, 0f, scratch);
                totals[1] += TopK.Contains(row, batch.Labels[i], 1) ? 1 : 0;
                totals[2] += TopK.Contains(row, batch.Labels[i], Math.Min(5, classes)) ? 1 : 0;
                totals[3] += 1;
            }

            progress?.Invoke(++done, loader.BatchesPerEpoch);
        }

        reducer.SumMetrics(totals);
        double samples = Math.Max(1, totals[3]);
        return new EvaluationResult(totals[1] / samples, totals[2] / samples, totals[0] / samples, (long)totals[3]);
    }
}
