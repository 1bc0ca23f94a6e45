using Xunit;
using XceptionCompiler.Reference;
using XceptionCompiler.Runtime.Kernels;

namespace XceptionCompiler.Runtime.Tests.Kernels;

/// <summary><see cref="BatchNorm"/> against the naive batch norm: statistics, running averages, epilogues, gradients.</summary>
public sealed unsafe class BatchNormTests
{
    private const float Eps = 1e-3f;
    private const float Momentum = 0.1f;

    private static readonly Dictionary<string, (int Channels, int Spatial)> Shapes = new()
    {
        ["odd"] = (5, 7),
        ["one_pixel"] = (3, 1),
        ["xception_19x19"] = (19, 361),
        ["vector_tail"] = (17, 100),
    };

    public static TheoryData<string, int, bool, bool> WithResidualAndRelu => TheoryCases.Of(Shapes.Keys, TheoryCases.Both, TheoryCases.Both);

    // dResidual: 0 none, 1 overwritten, 2 accumulated.
    public static TheoryData<string, int, bool, int> WithReluAndResidualGradient()
    {
        var data = new TheoryData<string, int, bool, int>();
        foreach (var row in TheoryCases.Of(Shapes.Keys, TheoryCases.Both))
        {
            for (int residualMode = 0; residualMode < 3; residualMode++)
            {
                data.Add((string)row[0], (int)row[1], (bool)row[2], residualMode);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WithResidualAndRelu))]
    public void TrainForward(string shape, int batch, bool residual, bool relu)
    {
        (int channels, int spatial) = Shapes[shape];
        // An offset mean and a non-unit spread make the statistics matter.
        float[] x = TensorRandom.Uniform(batch * channels * spatial, 1, -2, 5);
        float[] gamma = TensorRandom.Uniform(channels, 2, 0.5, 1.5), beta = TestTensors.Random(channels, 3);
        float[] res = residual ? TestTensors.Random(x.Length, 4) : [];
        float[] runningMean = TestTensors.Random(channels, 5), runningVar = TensorRandom.Uniform(channels, 6, 0.5, 2);
        float[] expectedMean = (float[])runningMean.Clone(), expectedVar = (float[])runningVar.Clone();
        float[] saveMean = TestTensors.Initial(channels, false, 0), saveInvStd = TestTensors.Initial(channels, false, 0);
        float[] expectedSaveMean = new float[channels], expectedSaveInvStd = new float[channels];
        float[] y = TestTensors.Initial(x.Length, false, 0), expected = new float[x.Length];
        NaiveOps.BatchNormTrainForward<float>(x, expected, gamma, beta, expectedMean, expectedVar, expectedSaveMean, expectedSaveInvStd,
            batch, channels, spatial, Eps, Momentum, res, relu);
        fixed (float* px = x, py = y, pg = gamma, pb = beta, prm = runningMean, prv = runningVar, psm = saveMean, psi = saveInvStd, pr = res)
        {
            BatchNorm.TrainForward(px, py, pg, pb, prm, prv, psm, psi, batch, channels, spatial, Eps, Momentum, pr, relu);
        }

        TensorAssert.RelativeL2("y", expected, y, shape: [batch, channels, spatial]);
        TensorAssert.RelativeL2("saveMean", expectedSaveMean, saveMean);
        TensorAssert.RelativeL2("saveInvStd", expectedSaveInvStd, saveInvStd);
        TensorAssert.RelativeL2("runningMean", expectedMean, runningMean);
        TensorAssert.RelativeL2("runningVar", expectedVar, runningVar);
    }

    [Theory]
    [MemberData(nameof(WithResidualAndRelu))]
    public void EvalForward(string shape, int batch, bool residual, bool relu)
    {
        (int channels, int spatial) = Shapes[shape];
        float[] x = TensorRandom.Uniform(batch * channels * spatial, 1, -2, 5);
        float[] gamma = TensorRandom.Uniform(channels, 2, 0.5, 1.5), beta = TestTensors.Random(channels, 3);
        float[] res = residual ? TestTensors.Random(x.Length, 4) : [];
        float[] runningMean = TensorRandom.Uniform(channels, 5, 0, 3), runningVar = TensorRandom.Uniform(channels, 6, 0.5, 4);
        float[] y = TestTensors.Initial(x.Length, false, 0), expected = new float[x.Length];
        NaiveOps.BatchNormEvalForward<float>(x, expected, gamma, beta, runningMean, runningVar, batch, channels, spatial, Eps, res, relu);
        fixed (float* px = x, py = y, pg = gamma, pb = beta, prm = runningMean, prv = runningVar, pr = res)
        {
            BatchNorm.EvalForward(px, py, pg, pb, prm, prv, batch, channels, spatial, Eps, pr, relu);
        }

        TensorAssert.RelativeL2("y", expected, y, shape: [batch, channels, spatial]);
    }

    [Theory]
    [MemberData(nameof(WithReluAndResidualGradient))]
    public void Backward(string shape, int batch, bool relu, int residualMode)
    {
        (int channels, int spatial) = Shapes[shape];
        int count = batch * channels * spatial;
        float[] x = TensorRandom.Uniform(count, 1, -2, 5);
        float[] gamma = TensorRandom.Uniform(channels, 2, 0.5, 1.5), beta = TestTensors.Random(channels, 3);
        float[] res = TestTensors.Random(count, 4);
        float[] saveMean = new float[channels], saveInvStd = new float[channels], y = new float[count];
        NaiveOps.BatchNormTrainForward<float>(x, y, gamma, beta, new float[channels], new float[channels], saveMean, saveInvStd,
            batch, channels, spatial, Eps, Momentum, res, relu);

        float[] dy = TestTensors.Random(count, 5), dyBefore = (float[])dy.Clone();
        float[] dx = TestTensors.Initial(count, false, 0), expectedDx = new float[count];
        float[] dgamma = TestTensors.Random(channels, 6), dbeta = TestTensors.Random(channels, 7);
        float[] expectedDgamma = (float[])dgamma.Clone(), expectedDbeta = (float[])dbeta.Clone();
        float[] dres = residualMode == 0 ? [] : TestTensors.Initial(count, residualMode == 2, 8);
        float[] expectedDres = (float[])dres.Clone();
        NaiveOps.BatchNormBackward<float>(dy, y, x, gamma, saveMean, saveInvStd, expectedDx, expectedDgamma, expectedDbeta,
            batch, channels, spatial, relu, expectedDres, residualMode == 2);
        fixed (float* pdy = dy, py = y, px = x, pg = gamma, psm = saveMean, psi = saveInvStd, pdx = dx, pdg = dgamma, pdb = dbeta, pdr = dres)
        {
            BatchNorm.Backward(pdy, py, px, pg, psm, psi, pdx, pdg, pdb, batch, channels, spatial, relu, pdr, residualMode == 2);
        }

        TensorAssert.RelativeL2("dx", expectedDx, dx, shape: [batch, channels, spatial]);
        TensorAssert.RelativeL2("dgamma", expectedDgamma, dgamma);
        TensorAssert.RelativeL2("dbeta", expectedDbeta, dbeta);
        TensorAssert.RelativeL2("dResidual", expectedDres, dres, shape: [batch, channels, spatial]);
        TensorAssert.Identical("dy (must not be modified)", dyBefore, dy);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BackwardAccumulatesIntoTheInputGradientWhenAsked(bool relu)
    {
        (int channels, int spatial) = (5, 13);
        const int batch = 3;
        int count = batch * channels * spatial;
        float[] x = TensorRandom.Uniform(count, 1, -2, 5);
        float[] gamma = TensorRandom.Uniform(channels, 2, 0.5, 1.5), beta = TestTensors.Random(channels, 3);
        float[] saveMean = new float[channels], saveInvStd = new float[channels], y = new float[count];
        NaiveOps.BatchNormTrainForward<float>(x, y, gamma, beta, new float[channels], new float[channels], saveMean, saveInvStd,
            batch, channels, spatial, Eps, Momentum, [], relu);
        float[] dy = TestTensors.Random(count, 5);
        float[] earlier = TestTensors.Random(count, 9), dx = (float[])earlier.Clone(), fresh = new float[count];
        NaiveOps.BatchNormBackward<float>(dy, y, x, gamma, saveMean, saveInvStd, fresh, new float[channels], new float[channels],
            batch, channels, spatial, relu, [], false);
        fixed (float* pdy = dy, py = y, px = x, pg = gamma, psm = saveMean, psi = saveInvStd, pdx = dx)
        {
            float* scratch = stackalloc float[2 * channels];
            BatchNorm.Backward(pdy, py, px, pg, psm, psi, pdx, scratch, scratch + channels, batch, channels, spatial, relu, null, false, accumulateInput: true);
        }

        TensorAssert.RelativeL2("dx (earlier + this gradient)", earlier.Select((v, i) => v + fresh[i]).ToArray(), dx, shape: [batch, channels, spatial]);
    }
}
