namespace XceptionCompiler.Runtime.Training;

/// <summary>Clipping by global L2 norm (MindCV's clip_grad with clip_value as the maximum norm).</summary>
public static class GradientClipping
{
    /// <summary>Scales the gradients so their L2 norm is at most <paramref name="maxNorm"/>; returns the norm before clipping.</summary>
    public static double ClipByGlobalNorm(Span<float> gradients, float maxNorm)
    {
        double sum = 0;
        foreach (float g in gradients)
        {
            sum += (double)g * g;
        }

        double norm = Math.Sqrt(sum);
        if (norm > maxNorm && norm > 0)
        {
            float scale = (float)(maxNorm / norm);
            for (int i = 0; i < gradients.Length; i++)
            {
                gradients[i] *= scale;
            }
        }

        return norm;
    }
}
