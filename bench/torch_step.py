#!/usr/bin/env python3
"""One PyTorch measurement for the side-by-side comparison: the canonical Xception (the oracle's independent
PyTorch definition, tests/oracle/pytorch_oracle.py) timed the way `xception bench` times ours. A training step is
forward, cross-entropy with label smoothing 0.1, backward and an SGD step; an inference step is an eval forward under
no_grad. Run in its own process so its peak RSS is its own. Prints one JSON line."""
import argparse
import json
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "oracle"))
import torch  # noqa: E402
from pytorch_oracle import MODELS  # noqa: E402


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
    model = MODELS["xception"]()
    x = torch.randn(args.batch, 3, 299, 299)
    labels = torch.arange(args.batch) % 1000
    memory_format = torch.channels_last if args.layout == "channels_last" else torch.contiguous_format
    model = model.to(memory_format=memory_format)
    x = x.contiguous(memory_format=memory_format)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9, weight_decay=1e-5)

    def step():
        if args.mode == "infer":
            with torch.no_grad():
                model(x)
            return
        optimizer.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(x), labels, label_smoothing=0.1)
        loss.backward()
        optimizer.step()

    model.train(args.mode == "train")
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
