#!/usr/bin/env python3
"""Side by side: this project's compiled Xception against PyTorch eager (Debian's python3-torch, NCHW and
channels-last), same machine, same thread count, measured in one run with the frameworks alternating case by case.
Reports images/s, the ratio to PyTorch's better layout, peak RSS of each (separate processes), and the fraction of
the machine's FMA peak our steps reach; writes the table to bench/RESULTS.md.

    python3 bench/side_by_side.py [--quick] [--threads 2] [--rounds 2]

Each case runs the three contenders in turn, --rounds times; each keeps its fastest round. On a shared machine
other tenants only ever slow a run down, so the fastest of a few alternating rounds is the steadiest estimate, and
every contender gets the same number of tries.

Needs the CLI built: dotnet build src/XceptionCompiler.Cli -c Release."""
import argparse
import datetime
import json
import platform
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = ROOT / "src" / "XceptionCompiler.Cli" / "bin" / "Release" / "net10.0" / "xception.dll"
CASES = [("train", 8), ("train", 32), ("infer", 1), ("infer", 16)]
KEEP_MARKER = "<!-- written by hand: side_by_side.py rewrites everything above this line and keeps the rest -->"


def last_json(command):
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"{' '.join(map(str, command))} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def ours(mode, batch, iters, threads):
    return last_json(["dotnet", CLI, "bench", "--model", "Xception", "--mode", mode, "--batch", str(batch),
                      "--iters", str(iters), "--threads", str(threads), "--json"])


def pytorch(mode, batch, iters, threads, layout):
    return last_json([sys.executable, ROOT / "bench" / "torch_step.py", "--mode", mode, "--batch", str(batch),
                      "--iters", str(iters), "--threads", str(threads), "--layout", layout])


def cpu_name():
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--quick", action="store_true", help="2 timed steps per case instead of 3 (train) / 10 (infer)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per case; each contender keeps its fastest")
    parser.add_argument("--output", default=str(ROOT / "bench" / "RESULTS.md"))
    args = parser.parse_args()
    if not CLI.exists():
        sys.exit(f"{CLI} not found: run 'dotnet build src/XceptionCompiler.Cli -c Release' first")
    if subprocess.run([sys.executable, "-c", "import torch"], capture_output=True).returncode != 0:
        sys.exit(f"PyTorch cannot be imported by {sys.executable}: install Debian's python3-torch "
                 "(apt-get install python3-torch) and run this script with /usr/bin/python3")

    def fma_peak():
        return last_json(["dotnet", CLI, "bench", "--fma-peak", "--threads", str(args.threads), "--json"])["fma_peak_gflops"]

    peak = fma_peak()
    rows = []
    for mode, batch in CASES:
        iters = 2 if args.quick else (3 if mode == "train" else 10)
        # Alternate so slow drifts in machine load hit both frameworks alike; keep each one's fastest round.
        rounds = [(ours(mode, batch, iters, args.threads),
                   pytorch(mode, batch, iters, args.threads, "nchw"),
                   pytorch(mode, batch, iters, args.threads, "channels_last")) for _ in range(args.rounds)]
        mine, nchw, cl = (max(tries, key=lambda r: r["img_per_s"]) for tries in zip(*rounds))
        best = max(nchw, cl, key=lambda r: r["img_per_s"])
        rows.append((mode, batch, mine, nchw, cl, best))
        print(f"{mode} b{batch}: ours {mine['img_per_s']:.2f} img/s, PyTorch NCHW {nchw['img_per_s']:.2f}, "
              f"channels-last {cl['img_per_s']:.2f}, ratio {mine['img_per_s'] / best['img_per_s']:.2f}x", flush=True)

    # The limit is the best the machine showed, before or after the cases.
    peak = max(peak, fma_peak())
    lines = [
        "# Side-by-side results",
        "",
        f"{datetime.date.today().isoformat()}, {cpu_name()}, {args.threads} threads, fp32; canonical Xception at 299x299; "
        f"PyTorch {nchw['torch']} (Debian python3-torch, oneDNN) in its own processes. FMA peak measured in the same run: "
        f"{peak:.1f} GFLOP/s. Produced by `python3 bench/side_by_side.py`{' --quick' if args.quick else ''}"
        f"{f' --rounds {args.rounds}' if args.rounds != 2 else ''}: each contender's fastest of {args.rounds} alternating "
        f"round{'s' if args.rounds != 1 else ''} per case.",
        "",
        "| step | batch | ours img/s | PyTorch NCHW | PyTorch channels-last | ours / better PyTorch | ours peak RSS MB | PyTorch peak RSS MB (better) | RSS ratio | ours GFLOP/s | of FMA peak |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for mode, batch, mine, nchw, cl, best in rows:
        lines.append(
            f"| {mode} | {batch} | {mine['img_per_s']:.2f} | {nchw['img_per_s']:.2f} | {cl['img_per_s']:.2f} | "
            f"**{mine['img_per_s'] / best['img_per_s']:.2f}x** | {mine['peak_rss_mb']:.0f} | {best['peak_rss_mb']:.0f} | "
            f"{mine['peak_rss_mb'] / best['peak_rss_mb']:.2f} | {mine['gflops']:.1f} | {mine['gflops'] / peak:.0%} |")
    lines += ["", "A training step is forward, cross-entropy (label smoothing 0.1), backward and an SGD update; "
              "GFLOP/s counts 2 flops per multiply-add and 3 forwards' worth per training step (an estimate: element-wise work "
              "and the stem's im2col are not counted).", ""]
    # The hand-written analysis below the marker (profiles, what stands in the way of each target) is kept.
    output = Path(args.output)
    kept = ""
    if output.exists() and KEEP_MARKER in output.read_text():
        kept = output.read_text()[output.read_text().index(KEEP_MARKER):]
    output.write_text("\n".join(lines) + ("\n" + kept if kept else ""))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
