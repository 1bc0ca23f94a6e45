namespace XceptionCompiler.Runtime.Data;

/// <summary>
/// One image file that cannot be decoded. Unlike other <see cref="DataException"/>s it does not stop a run: the
/// <see cref="DataLoader"/> skips the file, reports it, and puts another sample in its place.
/// </summary>
public sealed class ImageDecodeException(string path, string problem, Exception? inner = null)
    : DataException(path, problem, inner);
