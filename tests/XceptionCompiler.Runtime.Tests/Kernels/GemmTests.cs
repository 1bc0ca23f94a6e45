using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>The blocked GEMM with each micro-kernel, every transpose combination and padded leading dimensions.</summary>
public sealed unsafe class GemmTests
{
    public static TheoryData<int, int, int, bool, bool, bool, int> Cases()
    {
        var data = new TheoryData<int, int, int, bool, bool, bool, int>();
        // (1,1,1) a single partial tile; K = 800 is cut into two slices; 9 x 1400 x 800 needs three chunks of packed
        // column tiles; 24 and 16 rows are whole AVX-512 row tiles, which read A in place instead of packing it.
        (int M, int N, int K)[] sizes = [(1, 1, 1), (7, 33, 5), (130, 70, 800), (9, 600, 20), (9, 1400, 800), (24, 70, 800), (16, 600, 20)];
        foreach ((int m, int n, int k) in sizes)
        {
            foreach (bool transA in new[] { false, true })
            {
                foreach (bool transB in new[] { false, true })
                {
                    data.Add(m, n, k, transA, transB, transA ^ transB, (m + n + k) % 3);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesNaiveProduct(int m, int n, int k, bool transA, bool transB, bool accumulate, int padding)
    {
        foreach (GemmMicroKernel kernel in Enum.GetValues<GemmMicroKernel>())
        {
            // Leading dimensions larger than the logical ones catch stride mix-ups.
            int lda = (transA ? m : k) + padding, ldb = (transB ? k : n) + padding, ldc = n + padding;
            float[] a = TestTensors.Random((long)(transA ? k : m) * lda, 1);
            float[] b = TestTensors.Random((long)(transB ? n : k) * ldb, 2);
            float[] c = TestTensors.Initial((long)m * ldc, accumulate, 3);
            float[] expected = (float[])c.Clone();
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++)
                    {
                        sum += (double)(transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                    }

                    expected[i * ldc + j] = accumulate ? (float)(expected[i * ldc + j] + sum) : (float)sum;
                }
            }

            fixed (float* pa = a, pb = b, pc = c)
            {
                Gemm.Multiply(m, n, k, pa, lda, transA, pb, ldb, transB, pc, ldc, accumulate, kernel);
            }

            // Padding columns of C are NaN or random either way; compare only the logical part, and check the rest is untouched.
            for (int i = 0; i < m; i++)
            {
                TensorAssert.RelativeL2($"C row {i} ({kernel})", expected.AsSpan(i * ldc, n), c.AsSpan(i * ldc, n));
                // Per element too: a single wrong element in a large row barely moves the L2 error.
                TensorAssert.MaxAbsRelative($"C row {i} ({kernel})", expected.AsSpan(i * ldc, n), c.AsSpan(i * ldc, n), 1e-5);
                TensorAssert.Identical($"C padding row {i} ({kernel})", expected.AsSpan(i * ldc + n, padding), c.AsSpan(i * ldc + n, padding));
            }
        }
    }
    // 3 images of 600 columns: column chunks straddle images, so tile-to-image mapping and strides are exercised.
    [Theory]
    [InlineData(20, 600, 37, false, false)]
    [InlineData(130, 70, 300, true, true)]
    [InlineData(9, 5, 3, false, true)]
    [InlineData(16, 361, 300, false, false)]
    [InlineData(24, 100, 40, true, true)]
    public void BatchEqualsOneCallPerImageBitForBit(int m, int n, int k, bool transA, bool accumulate)
    {
        const int images = 3;
        long strideB = (long)k * n + 5, strideC = (long)m * n + 7;
        float[] a = TestTensors.Random((long)m * k, 1);
        float[] b = TestTensors.Random(images * strideB, 2);
        float[] batched = TestTensors.Initial(images * strideC, accumulate, 3);
        float[] separate = (float[])batched.Clone();
        int lda = transA ? m : k;
        fixed (float* pa = a, pb = b, pBatched = batched, pSeparate = separate)
        {
            foreach (GemmMicroKernel kernel in Enum.GetValues<GemmMicroKernel>())
            {
                Gemm.MultiplyBatch(images, strideB, strideC, m, n, k, pa, lda, transA, pb, n, false, pBatched, n, accumulate, kernel);
                for (int image = 0; image < images; image++)
                {
                    Gemm.Multiply(m, n, k, pa, lda, transA, pb + image * strideB, n, false, pSeparate + image * strideC, n, accumulate, kernel);
                }

                TensorAssert.Identical($"C ({kernel})", separate, batched);
            }
        }
    }

    [Fact]
    public void ForcedVector256PathUsesTheNarrowTile()
    {
        using (SimdPath.Force(SimdWidth.Vector256))
        {
            Assert.Equal(GemmMicroKernel.Vector256, GemmMicroKernels.Current);
        }

        Assert.Equal(SimdPath.Widest == SimdWidth.Vector512 ? GemmMicroKernel.Vector512 : GemmMicroKernel.Vector256, GemmMicroKernels.Current);
    }
}
