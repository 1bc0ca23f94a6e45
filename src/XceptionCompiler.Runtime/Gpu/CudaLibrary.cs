using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace XceptionCompiler.Runtime.Gpu;

/// <summary>
/// ILGPU loads the CUDA driver as "cuda" (libcuda.so), but a GPU host may ship only the versioned libcuda.so.1
/// (the unversioned link comes with the driver's development package). This maps the name to the versioned file.
/// </summary>
public static class CudaLibrary
{
    private static int installed;

    /// <summary>Installs the mapping once per process; later calls do nothing.</summary>
    public static void InstallResolver()
    {
        if (Interlocked.Exchange(ref installed, 1) == 0)
        {
            AssemblyLoadContext.Default.ResolvingUnmanagedDll += Resolve;
        }
    }

    private static IntPtr Resolve(Assembly assembly, string name)
    {
        if (!IsCudaDriver(name))
        {
            return IntPtr.Zero;
        }

        foreach (string candidate in new[] { "libcuda.so.1", "libcuda.so" })
        {
            if (NativeLibrary.TryLoad(candidate, out IntPtr handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }

    internal static bool IsCudaDriver(string name) => name is "cuda" or "nvcuda" or "libcuda" or "libcuda.so";
}
