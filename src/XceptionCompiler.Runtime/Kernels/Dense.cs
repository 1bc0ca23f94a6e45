namespace XceptionCompiler.Runtime.Kernels;

/// <summary>Fully connected layer, y = x W^T + b with x [batch, in], W [out, in], b [out], on the blocked GEMM.</summary>
public static unsafe class Dense
{
    /// <summary>y = x W^T (+ b when not null); y is overwritten.</summary>
    public static void Forward(float* x, float* w, float* b, float* y, int batch, int inFeatures, int outFeatures)
    {
        Gemm.Multiply(batch, outFeatures, inFeatures, x, inFeatures, false, w, inFeatures, true, y, outFeatures, accumulate: false);
        if (b != null)
        {
            for (int n = 0; n < batch; n++)
            {
                float* row = y + (long)n * outFeatures;
                VectorRows.Add(row, b, row, outFeatures);
            }
        }
    }

    /// <summary>dx (= or +=) dy W (skipped when dx is null); dW += dy^T x; db += column sums of dy (when not null).</summary>
    public static void Backward(float* dy, float* x, float* w, float* dx, float* dw, float* db, int batch, int inFeatures, int outFeatures, bool accumulate)
    {
        if (dx != null)
        {
            Gemm.Multiply(batch, inFeatures, outFeatures, dy, outFeatures, false, w, inFeatures, false, dx, inFeatures, accumulate);
        }

        Gemm.Multiply(outFeatures, inFeatures, batch, dy, outFeatures, true, x, inFeatures, false, dw, inFeatures, accumulate: true);
        if (db != null)
        {
            for (int n = 0; n < batch; n++)
            {
                VectorRows.Add(db, dy + (long)n * outFeatures, db, outFeatures);
            }
        }
    }
}
