namespace XceptionCompiler.Runtime.Kernels;

/// <summary>
/// The backward of a batch norm folded into a depthwise convolution's prologue (<see cref="ChannelAffine"/>), done by
/// that depthwise's backward: its data gradient g is the batch norm's whole output gradient, and its input x the batch
/// norm's input, so once a channel's planes of g are written, the batch norm's backward for that channel
/// (<see cref="BatchNorm.Backward"/> without ReLU or residual) runs on them while they are still in cache, instead of
/// reading g and x from memory again later. Same function, same order: the results do not change by a bit.
/// </summary>
/// <param name="gamma">The batch norm's weight.</param>
/// <param name="saveMean">Its saved batch mean.</param>
/// <param name="saveInvStd">Its saved 1/std.</param>
/// <param name="dx">Its input gradient, overwritten.</param>
/// <param name="dgamma">Its weight gradient, added to.</param>
/// <param name="dbeta">Its bias gradient, added to.</param>
public readonly unsafe struct FoldedNormBackward(float* gamma, float* saveMean, float* saveInvStd, float* dx, float* dgamma, float* dbeta)
{
    /// <summary>No batch norm's backward is asked for.</summary>
    public bool IsNone => dx == null;

    /// <summary>Channel <paramref name="c"/>'s backward, from the gradient <paramref name="g"/> of its output and its input <paramref name="x"/>.</summary>
    internal void Channel(float* g, float* x, int batch, int channels, int spatial, int c) =>
        BatchNorm.ChannelBackward(g, null, x, gamma, saveMean, saveInvStd, dx, dgamma, dbeta, batch, channels, spatial, c, accumulateInput: false);

    /// <summary>Every channel's backward at once (<see cref="BatchNorm.Backward"/>), where the depthwise ran plane by plane.</summary>
    internal void AllChannels(float* g, float* x, int batch, int channels, int spatial) =>
        BatchNorm.Backward(g, null, x, gamma, saveMean, saveInvStd, dx, dgamma, dbeta, batch, channels, spatial, reluOutput: false, dResidual: null, accumulateResidual: false);
}
