using System.Numerics;

namespace XceptionCompiler.Reference;

public static partial class NaiveOps
{
    /// <summary>y[n,o] = sum over i of x[n,i] * w[o,i] (+ b[o] when b is not empty).</summary>
    public static void DenseForward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> w, ReadOnlySpan<T> b, Span<T> y, int batch, int inFeatures, int outFeatures)
        where T : IFloatingPointIeee754<T>
    {
        for (int n = 0; n < batch; n++)
        for (int o = 0; o < outFeatures; o++)
        {
            double sum = b.IsEmpty ? 0 : D(b[o]);
            for (int i = 0; i < inFeatures; i++)
            {
                sum += D(x[n * inFeatures + i]) * D(w[o * inFeatures + i]);
            }

            y[n * outFeatures + o] = From<T>(sum);
        }
    }

    /// <summary>
    /// dx[n,i] (= or +=) sum over o of dy[n,o] * w[o,i] (skipped when dx is empty); dw[o,i] += sum over n of
    /// dy[n,o] * x[n,i]; db[o] += sum over n of dy[n,o] (when db is not empty).
    /// </summary>
    public static void DenseBackward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> x, ReadOnlySpan<T> w, Span<T> dx, Span<T> dw, Span<T> db,
        int batch, int inFeatures, int outFeatures, bool accumulate)
        where T : IFloatingPointIeee754<T>
    {
        if (!dx.IsEmpty)
        {
            for (int n = 0; n < batch; n++)
            for (int i = 0; i < inFeatures; i++)
            {
                double sum = 0;
                for (int o = 0; o < outFeatures; o++)
                {
                    sum += D(dy[n * outFeatures + o]) * D(w[o * inFeatures + i]);
                }

                Store(dx, n * inFeatures + i, sum, accumulate);
            }
        }

        for (int o = 0; o < outFeatures; o++)
        {
            for (int i = 0; i < inFeatures; i++)
            {
                double sum = 0;
                for (int n = 0; n < batch; n++)
                {
                    sum += D(dy[n * outFeatures + o]) * D(x[n * inFeatures + i]);
                }

                Store(dw, o * inFeatures + i, sum, accumulate: true);
            }

            if (!db.IsEmpty)
            {
                double sum = 0;
                for (int n = 0; n < batch; n++)
                {
                    sum += D(dy[n * outFeatures + o]);
                }

                Store(db, o, sum, accumulate: true);
            }
        }
    }
}
