using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using XceptionCompiler.Cli.Benchmarks;
using XceptionCompiler.Cli.Infrastructure;
using XceptionCompiler.Runtime.Benchmarking;
using XceptionCompiler.Runtime.Gpu;
using XceptionCompiler.Runtime.Networks;
using XceptionCompiler.Runtime.Threading;

namespace XceptionCompiler.Cli.Commands;

/// <summary>
/// `xception bench`: times training or inference steps of a compiled network after a warm-up and reports the median
/// step, images per second, achieved GFLOP/s and the peak resident set; with --fma-peak, the machine's FMA limit
/// instead. --json makes the last line one JSON object (bench/side_by_side.py reads it).
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "Compiled network to time (see 'xception models').", HelpName = "NAME" };
        var mode = new Option<string>("--mode") { Description = "train (forward, loss, backward, SGD) or infer (evaluation forward).", DefaultValueFactory = _ => "train" };
        mode.AcceptOnlyFromAmong("train", "infer");
        var batch = new Option<int>("--batch") { Description = "Images per step.", DefaultValueFactory = _ => 8 };
        var iterations = new Option<int>("--iters") { Description = "Timed steps (after the warm-up).", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed steps first.", DefaultValueFactory = _ => 1 };
        var threads = new Option<int>("--threads") { Description = "Worker threads (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var peak = new Option<bool>("--fma-peak") { Description = "Measure the FMA peak of this machine instead of a network." };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object on the last line." };
        var device = CommonOptions.Device();
        var check = new Option<bool>("--check") { Description = "With a GPU: first compare the GPU backend with the CPU backend (logits, one training step)." };
        var command = new Command("bench", "Time training or inference steps of a compiled network (or the machine's FMA peak).")
        {
            model, mode, batch, iterations, warmup, threads, peak, json, device, check,
        };
        command.SetAction(parse => Execute(
            parse.GetValue(model), parse.GetRequiredValue(mode), parse.GetValue(batch), parse.GetValue(iterations), parse.GetValue(warmup),
            parse.GetValue(threads), parse.GetValue(peak), parse.GetValue(json), CommonOptions.ParseDevice(parse.GetRequiredValue(device)), parse.GetValue(check),
            parse.InvocationConfiguration.Output));
        return command;
    }

    private static int Execute(string? modelName, string mode, int batch, int iterations, int warmup, int threads, bool fmaPeak, bool json, ComputeDevice device, bool check, TextWriter output)
    {
        if (threads < 1 || batch < 1 || iterations < 1 || warmup < 0)
        {
            throw CliException.Usage("--threads, --batch and --iters must be at least 1, --warmup at least 0");
        }

        Workers.ThreadCount = threads;
        if (fmaPeak)
        {
            double flops = FmaPeak.Measure(threads);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"FMA peak: {flops / 1e9:F1} GFLOP/s on {threads} threads"));
            if (json)
            {
                output.WriteLine(JsonSerializer.Serialize(new { fma_peak_gflops = flops / 1e9, threads }));
            }

            return ExitCodes.Ok;
        }

        if (modelName is null)
        {
            throw CliException.Usage("--model is required (or --fma-peak)");
        }

        ICompiledNetwork network = CompiledNetworks.Create(modelName, maxBatch: batch);
        bool training = mode == "train";
        using GpuSession? session = GpuSession.Open(device);
        if (session is not null)
        {
            return ExecuteOnGpu(network, session, mode, batch, iterations, warmup, json, check, output);
        }

        if (check)
        {
            throw CliException.Usage("--check compares the GPU backend with the CPU one: it needs a GPU (--device gpu, or auto with one present)");
        }

        IReadOnlyList<TimeSpan> times = new StepTimer(network, batch).Run(training, warmup, iterations);
        (double median, double imagesPerSecond, double gflops) = StepRate.Of(times, network, batch, training);
        double rss = PeakMemory.Megabytes();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{network.Name} {mode} batch {batch}, {threads} threads: median {median:F1} ms over {iterations} steps, {imagesPerSecond:F2} img/s, {gflops:F1} GFLOP/s, peak RSS {rss:F0} MB"));
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                model = network.Name,
                mode,
                batch,
                threads,
                iters = iterations,
                median_ms = median,
                img_per_s = imagesPerSecond,
                gflops,
                peak_rss_mb = rss,
                step_ms = times.Select(t => t.TotalMilliseconds).ToArray(),
            }));
        }

        return ExitCodes.Ok;
    }

    /// <summary>A NaN from a broken kernel is reported as "NaN" rather than failing the serializer.</summary>
    private static readonly JsonSerializerOptions NonFiniteAsText = new() { NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    private static int ExecuteOnGpu(ICompiledNetwork cpu, GpuSession session, string mode, int batch, int iterations, int warmup, bool json, bool check, TextWriter output)
    {
        // The GPU network mirrors its own host copy (initialised like the CPU one), so --check compares equal weights.
        using GpuNetwork gpu = GpuNetworks.Open(CompiledNetworks.Create(cpu.Name, maxBatch: batch), session, output)!;
        GpuCheck.Result? agreement = null;
        if (check)
        {
            agreement = GpuCheck.Run(cpu, gpu, batch);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"GPU vs CPU: logits {agreement.LogitsMaxRelative:E2} (max, relative), loss {agreement.LossRelative:E2}, parameter updates {agreement.ParameterUpdatesRelativeL2:E2} (relative L2)"));
        }

        bool training = mode == "train";
        using var timer = new GpuStepTimer(gpu, batch);
        IReadOnlyList<TimeSpan> times = timer.Run(training, warmup, iterations);
        (double median, double imagesPerSecond, double gflops) = StepRate.Of(times, cpu, batch, training);
        double deviceMegabytes = timer.DeviceBytes / (1024.0 * 1024.0);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{cpu.Name} {mode} batch {batch} on the GPU: median {median:F1} ms over {iterations} steps, {imagesPerSecond:F2} img/s, {gflops:F1} GFLOP/s, device memory {deviceMegabytes:F0} MB"));
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                model = cpu.Name,
                mode,
                batch,
                device = session.Description,
                iters = iterations,
                median_ms = median,
                img_per_s = imagesPerSecond,
                gflops,
                device_memory_mb = deviceMegabytes,
                kernel_compile_s = gpu.KernelCompileTime.TotalSeconds,
                kernels = gpu.KernelCount,
                step_ms = times.Select(t => t.TotalMilliseconds).ToArray(),
                check_logits_max_rel = agreement?.LogitsMaxRelative,
                check_loss_rel = agreement?.LossRelative,
                check_parameters_rel_l2 = agreement?.ParameterUpdatesRelativeL2,
            }, NonFiniteAsText));
        }

        return ExitCodes.Ok;
    }
}
