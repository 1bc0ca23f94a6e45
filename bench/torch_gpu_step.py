#!/usr/bin/env python3
"""One PyTorch eager measurement on a CUDA GPU for bench/gpu_check.sh: the canonical Xception at 299x299, timed the
way `xception bench --device gpu` times ours, with the step of bench/torch_common.py (training: forward,
cross-entropy with label smoothing 0.1, backward, SGD momentum 0.9, weight decay 1e-5, lr 1e-4).

fp32 with PyTorch's own defaults for TF32 (cuDNN convolutions may use it, matmuls follow the default of this torch
version); both flags are recorded, neither is changed. Channels-last by default. Each timed step is bracketed by
torch.cuda.synchronize(), so it is the wall time of the whole step on the device. Device memory is the allocator's
peak over the timed steps (after reset_peak_memory_stats, once the warm-up has made the momentum buffers).

    python3 bench/torch_gpu_step.py --net oracle --batch 32 [--iters 10] [--warmup 3]
    python3 bench/torch_gpu_step.py --net timm --batch 32      # timm's legacy_xception; reports a skip without timm
    python3 bench/torch_gpu_step.py --info                     # versions, device, TF32 flags, timm: one JSON line
    /usr/bin/python3 bench/torch_gpu_step.py --device cpu --batch 2 --iters 1 --warmup 0   # exercises the code here

Prints one JSON line (the last line of output)."""
import argparse
import json
import statistics
import time

import torch
from torch_common import CLASSES, IMAGE_SIZE, make_step, oracle_xception, timm_xception

MB = 1024 * 1024


def precision_flags():
    """The TF32 / matmul precision settings in force (PyTorch's defaults unless the environment changed them)."""
    flags = {
        "cudnn_allow_tf32": torch.backends.cudnn.allow_tf32,
        "matmul_allow_tf32": torch.backends.cuda.matmul.allow_tf32,
        "cudnn_benchmark": torch.backends.cudnn.benchmark,
    }
    if hasattr(torch, "get_float32_matmul_precision"):
        flags["float32_matmul_precision"] = torch.get_float32_matmul_precision()
    return flags


def environment():
    """Versions and the device, for the report's header."""
    info = {"torch": torch.__version__, "torch_cuda": torch.version.cuda, "cuda_available": torch.cuda.is_available()}
    if info["cuda_available"]:
        props = torch.cuda.get_device_properties(0)
        info.update({
            "device_name": torch.cuda.get_device_name(0),
            "device_count": torch.cuda.device_count(),
            "capability": "%d.%d" % torch.cuda.get_device_capability(0),
            "device_total_mb": props.total_memory / MB,
            "cudnn": torch.backends.cudnn.version(),
        })
    info.update(precision_flags())
    try:
        import timm
        info["timm"] = timm.__version__
    except Exception as error:  # any failure to import means the timm runs are skipped
        info["timm"] = None
        info["timm_error"] = f"{type(error).__name__}: {error}"
    return info


def build(net):
    """The network to time and a description of it; None and a reason when timm is not available."""
    if net == "oracle":
        return oracle_xception(), {"model_name": "oracle xception (tests/oracle/pytorch_oracle.py)"}
    try:
        model, name, version = timm_xception()
    except ImportError as error:
        return None, {"skipped": f"timm not available ({error})"}
    return model, {"model_name": f"timm {name}", "timm": version}


def synchronize(device):
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def measure(args):
    """Builds the network on the device, warms up, times the steps; returns the JSON record."""
    device = torch.device(args.device)
    if device.type == "cuda" and not torch.cuda.is_available():
        raise SystemExit(f"CUDA is not available to this torch ({torch.__version__}, "
                         f"built for CUDA {torch.version.cuda})")
    record = {"framework": "pytorch", "net": args.net, "torch": torch.__version__, "device": str(device),
              "layout": args.layout, "mode": args.mode, "batch": args.batch, "iters": args.iters,
              "warmup": args.warmup, **precision_flags()}
    if device.type == "cuda":
        record["device_name"] = torch.cuda.get_device_name(device)

    setup_start = time.perf_counter()
    torch.manual_seed(0)
    model, description = build(args.net)
    record.update(description)
    if model is None:
        return record
    memory_format = torch.channels_last if args.layout == "channels_last" else torch.contiguous_format
    model = model.to(device=device, memory_format=memory_format)
    # Input and labels live on the device, as ours do: the step times compute, not host-to-device copies.
    x = torch.randn(args.batch, 3, IMAGE_SIZE, IMAGE_SIZE, device=device).contiguous(memory_format=memory_format)
    labels = torch.arange(args.batch, device=device) % CLASSES
    step = make_step(model, x, labels, args.mode)
    synchronize(device)
    record["setup_s"] = time.perf_counter() - setup_start

    warmup_ms = []
    for _ in range(args.warmup):
        start = time.perf_counter()
        step()
        synchronize(device)
        warmup_ms.append((time.perf_counter() - start) * 1000)
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)

    times = []
    for _ in range(args.iters):
        synchronize(device)
        start = time.perf_counter()
        step()
        synchronize(device)
        times.append((time.perf_counter() - start) * 1000)

    median = statistics.median(times)
    record.update({"median_ms": median, "img_per_s": args.batch / (median / 1000), "step_ms": times,
                   "warmup_ms": warmup_ms})
    if device.type == "cuda":
        record["max_memory_allocated_mb"] = torch.cuda.max_memory_allocated(device) / MB
        record["max_memory_reserved_mb"] = torch.cuda.max_memory_reserved(device) / MB
        # The figure the report compares with our device_memory_mb.
        record["device_memory_mb"] = record["max_memory_allocated_mb"]
    return record


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--info", action="store_true", help="print versions, device and flags, then exit")
    parser.add_argument("--net", choices=["oracle", "timm"], default="oracle",
                        help="oracle: the project's own PyTorch Xception; timm: timm's legacy_xception")
    parser.add_argument("--mode", choices=["train", "infer"], default="train")
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--iters", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--layout", choices=["nchw", "channels_last"], default="channels_last")
    parser.add_argument("--device", default="cuda", help="cuda (default), cuda:N, or cpu to try the code path")
    parser.add_argument("--cudnn-benchmark", action="store_true",
                        help="let cuDNN time its algorithms (off by default, as in PyTorch)")
    args = parser.parse_args()
    if args.batch < 1 or args.iters < 1 or args.warmup < 0:
        parser.error("--batch and --iters must be at least 1, --warmup at least 0")
    torch.backends.cudnn.benchmark = args.cudnn_benchmark
    print(json.dumps(environment() if args.info else measure(args)), flush=True)


if __name__ == "__main__":
    main()
