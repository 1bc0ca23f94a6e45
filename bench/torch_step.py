#!/usr/bin/env python3
"""One PyTorch measurement for the side-by-side comparison: the canonical Xception (the oracle's independent
PyTorch definition, tests/oracle/pytorch_oracle.py) timed the way `xception bench` times ours, with the step of
bench/torch_common.py (training: forward, cross-entropy with label smoothing 0.1, backward, SGD; inference: an eval
forward under no_grad). Run in its own process so its peak RSS is its own. Prints one JSON line."""
import argparse
import json
import resource
import statistics
import time

import torch
from torch_common import CLASSES, IMAGE_SIZE, make_step, oracle_xception


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mode", choices=["train", "infer"], required=True)
    parser.add_argument("--batch", type=int, required=True)
    parser.add_argument("--layout", choices=["nchw", "channels_last"], required=True)
    parser.add_argument("--iters", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = oracle_xception()
    x = torch.randn(args.batch, 3, IMAGE_SIZE, IMAGE_SIZE)
    labels = torch.arange(args.batch) % CLASSES
    memory_format = torch.channels_last if args.layout == "channels_last" else torch.contiguous_format
    model = model.to(memory_format=memory_format)
    x = x.contiguous(memory_format=memory_format)
    step = make_step(model, x, labels, args.mode)

    for _ in range(args.warmup):
        step()
    times = []
    for _ in range(args.iters):
        start = time.perf_counter()
        step()
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    print(json.dumps({
        "framework": "pytorch", "torch": torch.__version__, "layout": args.layout, "mode": args.mode,
        "batch": args.batch, "threads": args.threads, "median_ms": median, "img_per_s": args.batch / (median / 1000),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "step_ms": times,
    }))


if __name__ == "__main__":
    main()
