using Xunit;
using XceptionCompiler.Runtime.Kernels;
using static XceptionCompiler.Runtime.Tests.Kernels.FiniteDifference;
using Naive = XceptionCompiler.Reference.NaiveOps;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary>
/// The oracle checked against itself: every naive backward op matches finite differences of its naive forward op,
/// in double precision, on tiny shapes with stride 2, asymmetric padding and the fused ReLU/residual options.
/// </summary>
public sealed class NaiveGradientTests
{
    private const int Batch = 2;

    public static TheoryData<bool> Relu => new() { false, true };

    [Theory]
    [MemberData(nameof(Relu))]
    public void Conv2d(bool relu)
    {
        // Stride 2 with one row of padding at the top and the bottom, none at the left, one column unused at the right.
        var s = new ConvShape(2, 5, 6, 3, 3, 2, 3, 3, 2, 1, 0);
        double[] x = Random(Batch * 2 * 5 * 6, 1), w = Random(3 * 2 * 9, 2), probe = Random(Batch * 3 * 3 * 2, 3);
        double Loss()
        {
            var y = new double[probe.Length];
            Naive.Conv2dForward<double>(x, w, y, Batch, s, relu);
            return Dot(probe, y);
        }

        var dx = new double[x.Length];
        var dw = new double[w.Length];
        Naive.Conv2dBackwardData<double>(probe, w, x, dx, Batch, s, relu, accumulate: false);
        Naive.Conv2dBackwardWeights<double>(probe, x, dw, Batch, s, relu);
        Check("conv dx", x, Loss, dx);
        Check("conv dw", w, Loss, dw);
        CheckAccumulates("conv dx", x.Length, (d, acc) => Naive.Conv2dBackwardData<double>(probe, w, x, d, Batch, s, relu, acc));
    }

    [Theory]
    [MemberData(nameof(Relu))]
    public void Depthwise(bool relu)
    {
        foreach (var s in new[] { new DepthwiseShape(3, 5, 6, 3, 3, 3, 2, 1, 0), new DepthwiseShape(2, 4, 5, 4, 5, 3, 1, 1, 1) })
        {
            double[] x = Random(Batch * s.Channels * s.InHeight * s.InWidth, 1), w = Random(s.Channels * 9, 2);
            double[] probe = Random(Batch * s.Channels * s.OutHeight * s.OutWidth, 3);
            double Loss()
            {
                var y = new double[probe.Length];
                Naive.DepthwiseForward<double>(x, w, y, Batch, s, relu);
                return Dot(probe, y);
            }

            var dx = new double[x.Length];
            var dw = new double[w.Length];
            Naive.DepthwiseBackwardData<double>(probe, w, x, dx, Batch, s, relu, accumulate: false);
            Naive.DepthwiseBackwardWeights<double>(probe, x, dw, Batch, s, relu);
            Check($"depthwise dx (stride {s.Stride})", x, Loss, dx);
            Check($"depthwise dw (stride {s.Stride})", w, Loss, dw);
            CheckAccumulates("depthwise dx", x.Length, (d, acc) => Naive.DepthwiseBackwardData<double>(probe, w, x, d, Batch, s, relu, acc));
        }
    }

    [Fact]
    public void Pointwise()
    {
        const int cin = 3, cout = 4, spatial = 5;
        double[] x = Random(Batch * cin * spatial, 1), w = Random(cout * cin, 2), probe = Random(Batch * cout * spatial, 3);
        double Loss()
        {
            var y = new double[probe.Length];
            Naive.PointwiseForward<double>(x, w, y, Batch, cin, cout, spatial);
            return Dot(probe, y);
        }

        var dx = new double[x.Length];
        var dw = new double[w.Length];
        Naive.PointwiseBackwardData<double>(probe, w, dx, Batch, cin, cout, spatial, accumulate: false);
        Naive.PointwiseBackwardWeights<double>(probe, x, dw, Batch, cin, cout, spatial);
        Check("pointwise dx", x, Loss, dx);
        Check("pointwise dw", w, Loss, dw);
        CheckAccumulates("pointwise dx", x.Length, (d, acc) => Naive.PointwiseBackwardData<double>(probe, w, d, Batch, cin, cout, spatial, acc));
    }

    [Theory]
    [MemberData(nameof(Relu))]
    public void BatchNormTraining(bool relu)
    {
        const int channels = 3, spatial = 5;
        const double eps = 1e-3;
        int count = Batch * channels * spatial;
        double[] x = Random(count, 1), gamma = Random(channels, 2), beta = Random(channels, 3), residual = Random(count, 4);
        double[] probe = Random(count, 5);
        double[] saveMean = new double[channels], saveInvStd = new double[channels], y = new double[count];

        // The forward recomputes the batch statistics from the perturbed x, so the check covers the path through them.
        double Forward(double[] output)
        {
            Naive.BatchNormTrainForward<double>(x, output, gamma, beta, new double[channels], new double[channels], saveMean, saveInvStd,
                Batch, channels, spatial, eps, 0.1, residual, relu);
            return Dot(probe, output);
        }

        double Loss() => Forward(new double[count]);

        Forward(y);
        double[] dx = new double[count], dgamma = new double[channels], dbeta = new double[channels], dres = new double[count];
        Naive.BatchNormBackward<double>(probe, y, x, gamma, saveMean, saveInvStd, dx, dgamma, dbeta, Batch, channels, spatial, relu, dres, false);
        Check("batch norm dx", x, Loss, dx);
        Check("batch norm dgamma", gamma, Loss, dgamma);
        Check("batch norm dbeta", beta, Loss, dbeta);
        Check("batch norm dResidual", residual, Loss, dres);
        CheckAccumulates("batch norm dResidual", count, (d, acc) =>
            Naive.BatchNormBackward<double>(probe, y, x, gamma, saveMean, saveInvStd, new double[count], new double[channels], new double[channels],
                Batch, channels, spatial, relu, d, acc));
    }

    [Fact]
    public void BatchNormRunningStatistics()
    {
        // PyTorch: running = (1 - momentum)*running + momentum*stat, the variance unbiased (divided by M - 1).
        double[] x = [1, 2, 4, 7];
        double[] runningMean = [10], runningVar = [20], saveMean = new double[1], saveInvStd = new double[1];
        Naive.BatchNormTrainForward<double>(x, new double[4], [1.0], [0.0], runningMean, runningVar, saveMean, saveInvStd,
            1, 1, 4, 0, 0.25, [], false);
        double mean = 3.5, biased = (6.25 + 2.25 + 0.25 + 12.25) / 4, unbiased = biased * 4 / 3;
        Assert.Equal(0.75 * 10 + 0.25 * mean, runningMean[0], 12);
        Assert.Equal(0.75 * 20 + 0.25 * unbiased, runningVar[0], 12);
        Assert.Equal(mean, saveMean[0], 12);
        Assert.Equal(1 / Math.Sqrt(biased), saveInvStd[0], 12);
    }

    [Fact]
    public void MaxPool()
    {
        var s = new PoolShape(2, 5, 5, 3, 3, 3, 2, 1, 1);
        double[] x = Random(Batch * 2 * 25, 1), probe = Random(Batch * 2 * 9, 2);
        double Loss()
        {
            var y = new double[probe.Length];
            Naive.MaxPoolForward<double>(x, y, Batch, s, []);
            return Dot(probe, y);
        }

        var dx = new double[x.Length];
        Naive.MaxPoolBackward<double>(probe, x, dx, Batch, s, accumulate: false);
        Check("max pool dx", x, Loss, dx);
        CheckAccumulates("max pool dx", x.Length, (d, acc) => Naive.MaxPoolBackward<double>(probe, x, d, Batch, s, acc));
    }

    [Fact]
    public void GlobalAvgPool()
    {
        const int channels = 3, spatial = 7;
        double[] x = Random(Batch * channels * spatial, 1), probe = Random(Batch * channels, 2);
        double Loss()
        {
            var y = new double[probe.Length];
            Naive.GlobalAvgPoolForward<double>(x, y, Batch, channels, spatial);
            return Dot(probe, y);
        }

        var dx = new double[x.Length];
        Naive.GlobalAvgPoolBackward<double>(probe, dx, Batch, channels, spatial, accumulate: false);
        Check("global average pool dx", x, Loss, dx);
        CheckAccumulates("global average pool dx", x.Length, (d, acc) => Naive.GlobalAvgPoolBackward<double>(probe, d, Batch, channels, spatial, acc));
    }

    [Fact]
    public void Dense()
    {
        const int inFeatures = 4, outFeatures = 3;
        double[] x = Random(Batch * inFeatures, 1), w = Random(outFeatures * inFeatures, 2), b = Random(outFeatures, 3);
        double[] probe = Random(Batch * outFeatures, 4);
        double Loss()
        {
            var y = new double[probe.Length];
            Naive.DenseForward<double>(x, w, b, y, Batch, inFeatures, outFeatures);
            return Dot(probe, y);
        }

        double[] dx = new double[x.Length], dw = new double[w.Length], db = new double[b.Length];
        Naive.DenseBackward<double>(probe, x, w, dx, dw, db, Batch, inFeatures, outFeatures, accumulate: false);
        Check("dense dx", x, Loss, dx);
        Check("dense dw", w, Loss, dw);
        Check("dense db", b, Loss, db);
        CheckAccumulates("dense dx", x.Length, (d, acc) =>
            Naive.DenseBackward<double>(probe, x, w, d, new double[w.Length], [], Batch, inFeatures, outFeatures, acc));
    }

    [Fact]
    public void DropoutAndRelu()
    {
        const int count = 50;
        const float p = 0.4f;
        double[] x = Random(count, 1), probe = Random(count, 2);
        double DropoutLoss()
        {
            var y = new double[count];
            Naive.DropoutForward<double>(x, y, p, 5);
            return Dot(probe, y);
        }

        double ReluLoss()
        {
            var y = new double[count];
            Naive.ReluForward<double>(x, y);
            return Dot(probe, y);
        }

        var dropoutDx = new double[count];
        Naive.DropoutBackward<double>(probe, dropoutDx, p, 5, accumulate: false);
        Check("dropout dx", x, DropoutLoss, dropoutDx);

        var y = new double[count];
        Naive.ReluForward<double>(x, y);
        var reluDx = new double[count];
        Naive.ReluBackward<double>(probe, y, reluDx, accumulate: false);
        Check("relu dx", x, ReluLoss, reluDx);
        CheckAccumulates("relu dx", count, (d, acc) => Naive.ReluBackward<double>(probe, y, d, acc));
        CheckAccumulates("dropout dx", count, (d, acc) => Naive.DropoutBackward<double>(probe, d, p, 5, acc));
    }
}
