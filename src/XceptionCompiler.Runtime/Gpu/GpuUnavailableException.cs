namespace XceptionCompiler.Runtime.Gpu;

/// <summary>The GPU backend was asked for where no CUDA GPU can be used; the message says what is missing.</summary>
public sealed class GpuUnavailableException(string message) : Exception(message);
