namespace XceptionCompiler.Runtime.Kernels;

/// <summary>A per-channel bias on an NCHW tensor: the bias of a convolution declared with bias=true.</summary>
public static unsafe class ChannelBias
{
    /// <summary>y[n, c, :] += b[c].</summary>
    public static void Forward(float* y, float* b, int batch, int channels, int spatial)
    {
        for (int n = 0; n < batch; n++)
        {
            for (int c = 0; c < channels; c++)
            {
                float* row = y + ((((long)n * channels) + c) * spatial);
                for (int i = 0; i < spatial; i++)
                {
                    row[i] += b[c];
                }
            }
        }
    }

    /// <summary>db[c] += sum over batch and space of dy[n, c, :].</summary>
    public static void Backward(float* dy, float* db, int batch, int channels, int spatial)
    {
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int n = 0; n < batch; n++)
            {
                float* row = dy + ((((long)n * channels) + c) * spatial);
                for (int i = 0; i < spatial; i++)
                {
                    sum += row[i];
                }
            }

            db[c] += (float)sum;
        }
    }
}
