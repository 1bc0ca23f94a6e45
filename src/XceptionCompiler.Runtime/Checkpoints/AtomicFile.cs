namespace XceptionCompiler.Runtime.Checkpoints;

/// <summary>
/// Replaces a file all at once: the content goes to a temp file in the same directory (so the final rename
/// stays on one file system), is flushed to disk, and is then moved over the target. A crash or an exception
/// mid-write leaves the previous file as it was and no temp file behind.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, atomically.</summary>
    public static void Write(string path, Action<Stream> write)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
            {
                write(stream);
                // Data must be on disk before the rename makes it visible, or a power loss could leave an empty target.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // The original exception matters more than a leftover temp file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
