#!/usr/bin/env python3
"""Writes the results table of bench/gpu_check.sh: reads the files its steps left in DIR/steps/ and writes
DIR/gpu_results.md (markdown, also printed) and DIR/gpu_results.json. Standard library only, so it runs with any
python3 even where torch is broken.

Each step NAME left NAME.out (stdout), NAME.err, NAME.rc (exit status) and NAME.secs, or NAME.skip (why it did not
run). A step's result is the last line of its stdout that parses as a JSON object; a step that failed, timed out or
printed no JSON is reported as such in the table and does not stop the rest.

    python3 bench/gpu_report.py --dir bench/gpu-results --batches 32 64 128"""
import argparse
import datetime
import json
from pathlib import Path

LOGITS_TARGET = 1e-3
# What `xception bench --device gpu --check --json` must print, and what `--mode train --json` must print.
CHECK_FIELDS = ("check_logits_max_rel", "check_loss_rel", "check_parameters_rel_l2", "kernel_compile_s")
OURS_FIELDS = ("img_per_s", "median_ms", "device_memory_mb", "kernel_compile_s")
TIMEOUT_CODES = {124, 137}


class Step:
    """One step's outcome: its JSON record when it succeeded, else a short note for the table and a longer one."""

    def __init__(self, directory, name):
        self.name = name
        self.data = None
        self.note = None
        self.detail = None
        self.exit_code = 0
        self._read(directory / "steps", name)

    def _read(self, steps, name):
        def text(suffix):
            path = steps / f"{name}.{suffix}"
            return path.read_text(errors="replace") if path.exists() else None

        skip, rc, out, err, secs = text("skip"), text("rc"), text("out") or "", text("err") or "", text("secs")
        if skip is not None:
            self.note, self.detail = "skipped", skip.strip()
            return
        if rc is None:
            self.note, self.detail = "not run", "the script stopped before this step"
            return
        code = int(rc.strip() or -1)
        took = f" after {secs.strip()} s" if secs else ""
        if code in TIMEOUT_CODES:
            self.note, self.detail = "timed out", f"killed by its timeout{took} (exit {code}); {last_line(out, err)}"
            return
        self.data = last_json(out)
        if code != 0:
            # A check may print its numbers and still exit non-zero (a tolerance missed): keep them, say so.
            self.note, self.detail = f"failed ({code})", f"exit {code}{took}: {last_line(err, out)}"
            self.exit_code = code
            return
        if self.data is None:
            self.note, self.detail = "no JSON", f"exit 0 but no JSON line in its output: {last_line(out, err)}"
        elif "skipped" in self.data:
            self.note, self.detail, self.data = "skipped", self.data["skipped"], None

    def get(self, field):
        return None if self.data is None else self.data.get(field)

    def missing(self, fields):
        return [] if self.data is None else [f for f in fields if f not in self.data]


def last_json(text):
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                value = json.loads(line)
            except ValueError:
                continue
            if isinstance(value, dict):
                return value
    return None


def last_line(*texts, limit=240):
    """The last non-empty line of the first text that has one, shortened for a table note."""
    for text in texts:
        lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
        if lines:
            line = lines[-1].replace("|", "/")
            return line if len(line) <= limit else line[:limit] + "..."
    return "no output"


def fmt(value, spec, unit=""):
    if value is None:
        return "—"
    try:
        return f"{value:{spec}}{unit}"
    except (TypeError, ValueError):
        return str(value)


def read_text(path):
    return path.read_text(errors="replace") if path.exists() else ""


def environment(directory):
    """Device name, driver and versions from the environment step's files (any of them may be missing)."""
    steps = directory / "steps"
    env = {"device": None, "driver": None, "gpu_memory": None}
    query = read_text(steps / "nvidia_smi_query.txt").strip().splitlines()
    if query and query[0].count(",") >= 2:
        env["device"], env["driver"], env["gpu_memory"] = [part.strip() for part in query[0].split(",")[:3]]
    torch_info = last_json(read_text(steps / "torch_info.out")) or {}
    env["torch"] = torch_info
    if env["device"] is None:
        env["device"] = torch_info.get("device_name")
    env["notes"] = [line.strip() for line in read_text(steps / "notes.txt").splitlines() if line.strip()]
    return env


def correctness_section(check):
    lines = ["## Correctness: GPU backend against the CPU backend (same weights and input, batch 8)", ""]
    if check.data is None:
        return lines + [f"**{check.note}**: {check.detail}", ""]
    logits = check.get("check_logits_max_rel")
    # NaN, or a string such as "NaN" from a serializer, fails too.
    passed = isinstance(logits, (int, float)) and logits <= LOGITS_TARGET
    verdict = "—" if logits is None else ("pass" if passed else "**FAIL**")
    lines += [
        "| measure | value | target |",
        "|---|---|---|",
        f"| logits, max relative difference (eval forward) | {fmt(logits, '.3g')} | ≤ {LOGITS_TARGET:g}: {verdict} |",
        f"| loss, relative difference (training step) | {fmt(check.get('check_loss_rel'), '.3g')} | — |",
        f"| parameters after one SGD step, relative L2 | {fmt(check.get('check_parameters_rel_l2'), '.3g')} | — |",
        f"| kernel compile time | {fmt(check.get('kernel_compile_s'), '.1f', ' s')} | — |",
        "",
    ]
    missing = check.missing(CHECK_FIELDS)
    if missing:
        lines += [f"The check's JSON lacks: {', '.join(missing)}.", ""]
    if check.exit_code:
        lines += [f"The check printed these numbers but {check.detail}", ""]
    return lines


def throughput_cell(step):
    if step.data is None:
        return step.note
    value = fmt(step.get("img_per_s"), ".1f")
    return f"{value} ({step.note})" if step.exit_code else value


def torch_memory(step):
    if step.data is None:
        return "—"
    return f"{fmt(step.get('max_memory_allocated_mb'), '.0f')} / {fmt(step.get('max_memory_reserved_mb'), '.0f')}"


def throughput_section(directory, batches):
    lines = ["## Training step at 299x299 (forward, cross-entropy, backward, SGD), fp32", "",
             "| batch | ours img/s | ours median ms | ours device MB | ours kernel compile s "
             "| PyTorch (oracle def) img/s | its MB alloc / reserved | timm img/s | its MB alloc / reserved "
             "| ours / best PyTorch |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    rows, notes = [], []
    for batch in batches:
        ours, oracle, timm = (Step(directory, f"{kind}_b{batch}") for kind in ("ours", "torch_oracle", "torch_timm"))
        best = max((s.get("img_per_s") for s in (oracle, timm) if s.get("img_per_s")), default=None)
        mine = ours.get("img_per_s")
        ratio = fmt(mine / best, ".2f", "x") if mine and best else "—"
        lines.append(f"| {batch} | {throughput_cell(ours)} | {fmt(ours.get('median_ms'), '.1f')} "
                     f"| {fmt(ours.get('device_memory_mb'), '.0f')} | {fmt(ours.get('kernel_compile_s'), '.1f')} "
                     f"| {throughput_cell(oracle)} | {torch_memory(oracle)} "
                     f"| {throughput_cell(timm)} | {torch_memory(timm)} | {ratio} |")
        for step in (ours, oracle, timm):
            if step.data is None or step.exit_code:
                notes.append(f"- {step.name}: {step.note}: {step.detail}")
        missing = ours.missing(OURS_FIELDS)
        if missing:
            notes.append(f"- {ours.name}: the JSON lacks {', '.join(missing)}")
        rows.append({"batch": batch, "ours": ours.data, "torch_oracle": oracle.data, "torch_timm": timm.data,
                     "ours_over_best_pytorch": mine / best if mine and best else None,
                     "notes": {s.name: s.detail for s in (ours, oracle, timm) if s.data is None or s.exit_code}})
    lines.append("")
    if notes:
        lines += ["Steps without a result:", ""] + notes + [""]
    return lines, rows


def header(env, ours_cli, iters, warmup):
    torch_info = env["torch"]
    timm = torch_info.get("timm") or f"not importable ({torch_info.get('timm_error', 'unknown')})"
    lines = [
        "# GPU check: XceptionCompiler's GPU backend against PyTorch eager", "",
        f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- Device: {env['device'] or 'unknown'} (driver {env['driver'] or 'unknown'}, {env['gpu_memory'] or '? MiB'})",
        f"- PyTorch {torch_info.get('torch', 'unknown')} (CUDA {torch_info.get('torch_cuda')}, cuDNN "
        f"{torch_info.get('cudnn')}); cudnn.allow_tf32={torch_info.get('cudnn_allow_tf32')}, "
        f"matmul.allow_tf32={torch_info.get('matmul_allow_tf32')}, float32_matmul_precision="
        f"{torch_info.get('float32_matmul_precision')}, cudnn.benchmark={torch_info.get('cudnn_benchmark')}; "
        f"channels-last, input on the device, synchronised wall time per step",
        f"- timm: {timm}",
        f"- Ours: `{ours_cli}`; every run {warmup} warm-up steps then the median of {iters} timed steps",
    ]
    lines += [f"- {note}" for note in env["notes"]]
    return lines + [""]


def new_user_section(directory):
    """The outcome of `xception train ... --device gpu` (step train_cli): its exit, and its epoch line."""
    steps = directory / "steps"
    lines = ["## The new user's command", "",
             "`xception train --config configs/xception_ascend.yaml --data-dir DIR --device gpu --epoch-size 1` on a "
             "generated folder of 1000 classes (one train and one val image each).", ""]
    skip, rc = read_text(steps / "train_cli.skip").strip(), read_text(steps / "train_cli.rc").strip()
    out, err = read_text(steps / "train_cli.out"), read_text(steps / "train_cli.err")
    if skip:
        return lines + [f"Skipped: {skip}", ""]
    if not rc:
        return lines + ["Not run: the script stopped before it.", ""]
    epoch = [line for line in out.splitlines() if line.startswith("epoch 1:")]
    compiled = [line for line in out.splitlines() if "kernels compiled in" in line]
    outcome = "trained" if rc == "0" else f"exit {rc}" + (" (timed out)" if int(rc) in TIMEOUT_CODES else "")
    lines.append(f"- outcome: {outcome} in {read_text(steps / 'train_cli.secs').strip() or '?'} s")
    lines += [f"- {text}" for text in compiled[:1] + epoch[:1]]
    if rc != "0":
        lines.append(f"- last output: {last_line(err, out)}")
    return lines + [""]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", required=True, help="the output folder of gpu_check.sh (with steps/ inside)")
    parser.add_argument("--batches", type=int, nargs="+", default=[32, 64, 128])
    parser.add_argument("--cli", default="artifacts/gpu/xception")
    parser.add_argument("--iters", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    args = parser.parse_args()

    directory = Path(args.dir)
    env = environment(directory)
    check = Step(directory, "check")
    throughput, rows = throughput_section(directory, args.batches)
    lines = header(env, args.cli, args.iters, args.warmup) + correctness_section(check) + new_user_section(directory) + throughput
    markdown = "\n".join(lines)
    (directory / "gpu_results.md").write_text(markdown)
    summary = {"device": env["device"], "driver": env["driver"], "torch": env["torch"], "check": check.data,
               "check_note": check.detail, "train": rows, "notes": env["notes"]}
    (directory / "gpu_results.json").write_text(json.dumps(summary, indent=1) + "\n")
    print(markdown)


if __name__ == "__main__":
    main()
