namespace XceptionCompiler.Runtime.Training;

/// <summary>
/// Cross-entropy over softmax with label smoothing (MindCV's 'CE' loss): the target puts 1 - e + e/K on the label and
/// e/K on every other class. Returns the mean loss over the batch and writes its gradient with respect to the logits.
/// </summary>
public static class SoftmaxCrossEntropy
{
    /// <summary>
    /// Mean loss of <paramref name="count"/> rows of <paramref name="classes"/> logits; <paramref name="gradient"/>
    /// receives d(mean loss)/d(logits) scaled by <paramref name="gradientScale"/> (e.g. 1 / accumulation steps).
    /// </summary>
    public static double Compute(ReadOnlySpan<float> logits, ReadOnlySpan<int> labels, int count, int classes, float labelSmoothing, Span<float> gradient, float gradientScale = 1f)
    {
        if (labelSmoothing is < 0f or >= 1f)
        {
            throw new ArgumentOutOfRangeException(nameof(labelSmoothing), labelSmoothing, "label smoothing must be in [0, 1)");
        }

        double off = labelSmoothing / classes;
        double on = 1.0 - labelSmoothing + off;
        double total = 0;
        for (int n = 0; n < count; n++)
        {
            ReadOnlySpan<float> row = logits.Slice(n * classes, classes);
            Span<float> rowGradient = gradient.Slice(n * classes, classes);
            int label = labels[n];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"label {label} of sample {n} is not a class of a {classes}-way output");
            }

            // log-softmax through the max for stability.
            double max = double.NegativeInfinity;
            foreach (float value in row)
            {
                max = Math.Max(max, value);
            }

            double sum = 0;
            foreach (float value in row)
            {
                sum += Math.Exp(value - max);
            }

            double logSum = max + Math.Log(sum);
            double loss = 0;
            for (int k = 0; k < classes; k++)
            {
                double target = k == label ? on : off;
                double logProbability = row[k] - logSum;
                loss -= target * logProbability;
                rowGradient[k] = (float)((Math.Exp(logProbability) - target) * gradientScale / count);
            }

            total += loss;
        }

        return total / count;
    }
}
