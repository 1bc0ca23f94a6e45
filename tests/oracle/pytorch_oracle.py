#!/usr/bin/env python3
"""External oracle for XceptionCompiler: plain PyTorch forward/backward of the canonical Xception and of
FashionXception, written to safetensors files that the C# tests compare against.

The modules are written here from the architecture (no timm); their structure mirrors timm's legacy_xception
so state_dict names and shapes are exactly those in shared/reference/xception_param_names.tsv.
Safetensors are written and read by the small codec below (no safetensors package on this machine).

    python3 tests/oracle/pytorch_oracle.py --out DIR [--case NAME ...] [--precision float64]
    python3 tests/oracle/pytorch_oracle.py --check-names          # canonical names/shapes/counts only
    python3 tests/oracle/pytorch_oracle.py --write-sample FILE    # one tensor per dtype, for codec tests
    python3 tests/oracle/pytorch_oracle.py --load-check MODEL FILE [--expect REFERENCE]
"""
import argparse
import json
import math
import os
import struct
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn as nn

BN_EPS = 1e-5
BN_MOMENTUM = 0.1
CANONICAL_TRAINABLE = 22_855_952
CANONICAL_FLOAT_TENSORS = 236
NUM_BATCHES_TRACKED = ".num_batches_tracked"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TSV = REPO_ROOT.parent / "shared" / "reference" / "xception_param_names.tsv"

# ---------------------------------------------------------------- safetensors codec

DTYPES = {torch.float32: "F32", torch.float64: "F64", torch.float16: "F16", torch.bfloat16: "BF16",
          torch.int64: "I64", torch.int32: "I32"}
TORCH_DTYPES = {name: dtype for dtype, name in DTYPES.items()}


def _tensor_bytes(t):
    t = t.detach().contiguous().cpu()
    # numpy has no bfloat16: reinterpret the same bits as int16.
    if t.dtype == torch.bfloat16:
        t = t.view(torch.int16)
    return t.numpy().tobytes()


def write_safetensors(path, tensors, metadata=None):
    """Writes {name: tensor} in the given order; header padded with spaces to 8 bytes like the reference.
    Atomic: a temp file in the same directory is flushed, synced and renamed over the target."""
    assert sys.byteorder == "little", "safetensors data is little-endian"
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    for name, t in tensors.items():
        if t.dtype not in DTYPES:
            raise ValueError(f"{path}: tensor '{name}' has unsupported dtype {t.dtype}")
        data = _tensor_bytes(t)
        header[name] = {"dtype": DTYPES[t.dtype], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    path = Path(path)
    fd, temp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(struct.pack("<Q", len(text)))
            f.write(text)
            for data in blobs:
                f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(temp, 0o666 & ~_umask())  # mkstemp makes 0600; give the target the usual mode
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def read_safetensors(path):
    """Returns ({name: tensor}, metadata). Only what this oracle needs: no validation beyond bounds."""
    raw = Path(path).read_bytes()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    metadata = header.pop("__metadata__", {})
    data = raw[8 + n:]
    tensors = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = TORCH_DTYPES[info["dtype"]]
        t = torch.frombuffer(bytearray(data[begin:end]), dtype=dtype) if end > begin else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(info["shape"])
    return tensors, metadata

# ---------------------------------------------------------------- modules (timm legacy_xception structure)


class SeparableConv2d(nn.Module):
    """Depthwise k x k (groups = in) then pointwise 1x1, no nonlinearity between; timm names conv1 / pointwise."""

    def __init__(self, cin, cout, kernel_size=1, stride=1, padding=0):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cin, kernel_size, stride, padding, groups=cin, bias=False)
        self.pointwise = nn.Conv2d(cin, cout, 1, bias=False)

    def forward(self, x):
        return self.pointwise(self.conv1(x))


def batch_norm(channels):
    return nn.BatchNorm2d(channels, eps=BN_EPS, momentum=BN_MOMENTUM)


class Block(nn.Module):
    """rep = [ReLU, SeparableConv2d(k3, p1), BN] x reps (+ MaxPool2d(3, stride, 1)); skip = 1x1 conv + BN when
    channels or stride change. grow_first widens on the first rep, otherwise on the last (block12)."""

    def __init__(self, cin, cout, reps, strides=1, start_with_relu=True, grow_first=True):
        super().__init__()
        # Registered before rep, as in timm, so state_dict order matches.
        if cout != cin or strides != 1:
            self.skip = nn.Conv2d(cin, cout, 1, stride=strides, bias=False)
            self.skipbn = batch_norm(cout)
        else:
            self.skip = None
        rep = []
        for i in range(reps):
            if grow_first:
                inc, outc = (cin if i == 0 else cout), cout
            else:
                inc, outc = cin, (cin if i < reps - 1 else cout)
            # Not in-place: the oracle favours plain autograd over memory.
            rep += [nn.ReLU(), SeparableConv2d(inc, outc, 3, 1, 1), batch_norm(outc)]
        if not start_with_relu:
            rep = rep[1:]
        if strides != 1:
            rep.append(nn.MaxPool2d(3, strides, 1))
        self.rep = nn.Sequential(*rep)

    def forward(self, x):
        skip = self.skipbn(self.skip(x)) if self.skip is not None else x
        return self.rep(x) + skip


class Xception(nn.Module):
    """The canonical network: 3x299x299 -> 1000, Chollet 2017 with timm's symmetric max-pool padding."""
    classes = 1000
    input_shape = (3, 299, 299)

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, 2, 0, bias=False)
        self.bn1 = batch_norm(32)
        self.conv2 = nn.Conv2d(32, 64, 3, bias=False)
        self.bn2 = batch_norm(64)
        self.block1 = Block(64, 128, 2, 2, start_with_relu=False)
        self.block2 = Block(128, 256, 2, 2)
        self.block3 = Block(256, 728, 2, 2)
        for i in range(4, 12):
            setattr(self, f"block{i}", Block(728, 728, 3, 1))
        self.block12 = Block(728, 1024, 2, 2, grow_first=False)
        self.conv3 = SeparableConv2d(1024, 1536, 3, 1, 1)
        self.bn3 = batch_norm(1536)
        self.conv4 = SeparableConv2d(1536, 2048, 3, 1, 1)
        self.bn4 = batch_norm(2048)
        self.fc = nn.Linear(2048, self.classes)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = torch.relu(self.bn2(self.conv2(x)))
        for i in range(1, 13):
            x = getattr(self, f"block{i}")(x)
        x = torch.relu(self.bn3(self.conv3(x)))
        x = torch.relu(self.bn4(self.conv4(x)))
        return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


class FashionXception(nn.Module):
    """The small variant: 1x28x28 -> 10 (Fashion-MNIST)."""
    classes = 10
    input_shape = (1, 28, 28)

    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1, 1, bias=False)
        self.bn1 = batch_norm(32)
        self.block1 = Block(32, 64, 2, 2, start_with_relu=False)
        self.block2 = Block(64, 128, 2, 2)
        self.block3 = Block(128, 128, 3, 1)
        self.block4 = Block(128, 128, 3, 1)
        self.conv3 = SeparableConv2d(128, 256, 3, 1, 1)
        self.bn3 = batch_norm(256)
        self.dropout = nn.Dropout(0.0)  # the model file's dropout, disabled so outputs are deterministic
        self.fc = nn.Linear(256, self.classes)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        for i in range(1, 5):
            x = getattr(self, f"block{i}")(x)
        x = torch.relu(self.bn3(self.conv3(x)))
        return self.fc(self.dropout(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)))


MODELS = {"xception": Xception, "fashion": FashionXception}

# ---------------------------------------------------------------- checks


def float_state(model):
    """state_dict without num_batches_tracked: the tensors the C# network holds."""
    return {k: v for k, v in model.state_dict().items() if not k.endswith(NUM_BATCHES_TRACKED)}


# Output height after conv1, conv2, block1..block12, conv4 at 299x299 (ANCHORS.md: 149, 147, 74, 37, 19, 10).
CANONICAL_SIZES = [149, 147, 74, 37] + [19] * 9 + [10, 10]


@torch.no_grad()
def spatial_sizes(model):
    """Heights of the stem, block and exit outputs for one input image, recorded by forward hooks."""
    names = ["conv1", "conv2"] + [f"block{i}" for i in range(1, 13)] + ["conv4"]
    sizes = {}
    hooks = [getattr(model, n).register_forward_hook(lambda m, i, o, n=n: sizes.__setitem__(n, o.shape[-1])) for n in names]
    model.eval()
    model(torch.zeros(1, *model.input_shape))
    for h in hooks:
        h.remove()
    return [sizes[n] for n in names]


def check_canonical(model, tsv_path):
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    state = float_state(model)
    if trainable != CANONICAL_TRAINABLE or len(state) != CANONICAL_FLOAT_TENSORS:
        raise SystemExit(f"canonical Xception has {trainable:,} trainable parameters and {len(state)} float tensors; "
                         f"expected {CANONICAL_TRAINABLE:,} and {CANONICAL_FLOAT_TENSORS}")
    sizes = spatial_sizes(model)
    if sizes != CANONICAL_SIZES:
        raise SystemExit(f"canonical Xception spatial sizes {sizes} differ from the paper's {CANONICAL_SIZES}")
    print(f"canonical Xception: {trainable:,} trainable parameters, {len(state)} float tensors, spatial sizes "
          f"{'/'.join(map(str, sorted(set(sizes), reverse=True)))}")
    if not Path(tsv_path).is_file():
        print(f"note: {tsv_path} not found; skipped the name/shape check against the tsv")
        return
    expected = []
    for line in Path(tsv_path).read_text().splitlines()[1:]:
        if line.strip():
            _, name, shape = line.split("\t")
            expected.append((name, tuple(int(d) for d in shape.strip("()").split(",") if d.strip())))
    actual = [(k, tuple(v.shape)) for k, v in state.items()]
    if actual != expected:
        diff = [f"  {a} != {e}" for a, e in zip(actual, expected) if a != e][:10]
        raise SystemExit(f"state_dict differs from {tsv_path} ({len(actual)} vs {len(expected)} tensors):\n" + "\n".join(diff))
    print(f"canonical Xception: names and shapes match {tsv_path}")

# ---------------------------------------------------------------- cases

CASES = {
    "xception_eval": ("xception", "eval", 2),
    "xception_train": ("xception", "train", 2),
    "fashion_eval": ("fashion", "eval", 4),
    "fashion_train": ("fashion", "train", 4),
}


@torch.no_grad()
def randomise(model):
    """Every tensor matters: no zero biases, no unit BN, running statistics away from (0, 1)."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            fan_in = m.weight[0].numel()
            m.weight.normal_(0.0, math.sqrt(2.0 / fan_in))
        elif isinstance(m, nn.BatchNorm2d):
            m.weight.uniform_(0.5, 1.5)
            m.bias.normal_(0.0, 0.1)
            m.running_mean.normal_(0.0, 0.1)
            m.running_var.uniform_(0.5, 1.5)
        elif isinstance(m, nn.Linear):
            m.weight.normal_(0.0, 1.0 / math.sqrt(m.in_features))
            m.bias.normal_(0.0, 0.1)


@torch.no_grad()
def calibrate(model, batch):
    """Eval cases: running statistics from a train-mode forward (momentum 1) on another random batch, so the
    eval activations stay in range through the whole depth."""
    bns = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    for m in bns:
        m.momentum = 1.0
    model.train()
    model(torch.randn(batch, *model.input_shape))
    for m in bns:
        m.momentum = BN_MOMENTUM


def check_logits(case, logits):
    std = logits.float().std().item()
    if not (0.1 < std < 100.0) or not torch.isfinite(logits).all():
        raise SystemExit(f"{case}: logit std {std:.4g} is outside (0.1, 100); the oracle's initialisation needs fixing")
    return std


def run_case(case, out_dir, precision, tsv_path):
    model_name, mode, batch = CASES[case]
    torch.manual_seed(sum(case.encode()))  # per case, stable across runs and case orders
    model = MODELS[model_name]()
    if model_name == "xception":
        check_canonical(model, tsv_path)
    randomise(model)
    if mode == "eval":
        calibrate(model, batch)
    weights = {k: v.clone() for k, v in model.state_dict().items()}
    x = torch.randn(batch, *model.input_shape)
    grad_output = torch.randn(batch, model.classes)

    # Weights and outputs are float32 either way; --precision float64 removes the oracle's own rounding, but not the
    # ReLU/max-pool decisions that flip under any rounding (see README), and costs 5x-20x the time.
    dtype = torch.float64 if precision == "float64" else torch.float32
    model = model.to(dtype)
    io = {"input": x}
    if mode == "eval":
        model.eval()
        with torch.no_grad():
            logits = model(x.to(dtype))
        io["logits"] = logits.float()
    else:
        model.train()
        xin = x.to(dtype).requires_grad_(True)
        logits = model(xin)
        (logits * grad_output.to(dtype)).sum().backward()
        io["logits"] = logits.detach().float()
        io["grad_output"] = grad_output
        io["grad.input"] = xin.grad.float()
        for name, p in model.named_parameters():
            io[f"grad.{name}"] = p.grad.float()
        for name, t in model.state_dict().items():
            if name.endswith(".running_mean") or name.endswith(".running_var"):
                io[f"updated.{name}"] = t.float()
        # The loss of one training step as `xception train` computes it: cross-entropy with label smoothing 0.1
        # (MindCV's recipe) on these logits, for labels drawn from their own generator so nothing above changes.
        labels = torch.randint(model.classes, (batch,), generator=torch.Generator().manual_seed(7))
        io["labels"] = labels
        io["loss"] = torch.nn.functional.cross_entropy(logits.detach(), labels, label_smoothing=0.1).float().reshape(1)
    std = check_logits(case, io["logits"])
    metadata = {"case": case, "model": model_name, "mode": mode, "batch": batch,
                "input_shape": "x".join(map(str, model.input_shape)), "classes": model.classes,
                "precision": precision, "bn_eps": BN_EPS, "bn_momentum": BN_MOMENTUM,
                "torch": torch.__version__, "logit_std": f"{std:.6g}"}
    write_safetensors(Path(out_dir) / f"{case}.weights.safetensors", weights, metadata)
    write_safetensors(Path(out_dir) / f"{case}.io.safetensors", io, metadata)
    return std

# ---------------------------------------------------------------- auxiliary commands (codec and checkpoint tests)


def write_sample(path):
    """One tensor per dtype from the same values, each with '<name>.expected' = its exact float32 value,
    so a reader in another language can check its conversions bit for bit."""
    torch.manual_seed(7)
    values = torch.randn(2, 3, 5, dtype=torch.float64) * 100
    tensors = {}
    for name, dtype in [("f32", torch.float32), ("f64", torch.float64), ("f16", torch.float16), ("bf16", torch.bfloat16)]:
        tensors[name] = values.to(dtype)
        tensors[name + ".expected"] = values.to(dtype).float()
    tensors["i64"] = torch.tensor([[-(2 ** 40), -1, 0], [1, 2 ** 40, 2 ** 62]], dtype=torch.int64)
    tensors["i32"] = torch.tensor([-(2 ** 31), -1, 0, 1, 2 ** 31 - 1], dtype=torch.int32)
    tensors["scalar.num_batches_tracked"] = torch.tensor(12345, dtype=torch.int64)
    tensors["empty"] = torch.zeros(0, 4)
    write_safetensors(path, tensors, {"writer": "pytorch_oracle.py", "torch": torch.__version__})


def load_check(model_name, path, expect):
    """Loads a checkpoint strictly into the model (as torch would), and compares it with a reference file."""
    tensors, _ = read_safetensors(path)
    model = MODELS[model_name]()
    model.load_state_dict(tensors, strict=True)
    compared = 0
    if expect:
        reference, _ = read_safetensors(expect)
        state = model.state_dict()
        for name, t in reference.items():
            if name.endswith(NUM_BATCHES_TRACKED):
                continue
            if not torch.equal(state[name], t):
                raise SystemExit(f"{path}: tensor '{name}' differs from {expect}")
            compared += 1
    print(f"ok: {path} loads strictly into {model_name}; {len(tensors)} tensors; {compared} equal to the reference")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", help="directory for <case>.weights.safetensors and <case>.io.safetensors")
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="repeatable; default: all cases")
    parser.add_argument("--precision", choices=["float32", "float64"], default="float32",
                        help="compute precision of the forward/backward; weights and outputs are float32 either way "
                             "(float64 takes 5x-20x longer and does not remove ReLU/max-pool decision flips)")
    parser.add_argument("--tsv", default=str(DEFAULT_TSV), help="timm names and shapes of the canonical network")
    parser.add_argument("--check-names", action="store_true", help="only check the canonical names, shapes and counts")
    parser.add_argument("--write-sample", metavar="FILE")
    parser.add_argument("--load-check", nargs=2, metavar=("MODEL", "FILE"))
    parser.add_argument("--expect", metavar="REFERENCE", help="with --load-check: a checkpoint the loaded one must equal")
    args = parser.parse_args()
    torch.set_num_threads(2)

    if args.check_names:
        check_canonical(Xception(), args.tsv)
        return
    if args.write_sample:
        write_sample(args.write_sample)
        return
    if args.load_check:
        load_check(args.load_check[0], args.load_check[1], args.expect)
        return
    if not args.out:
        parser.error("--out is required")
    os.makedirs(args.out, exist_ok=True)
    for case in args.case or list(CASES):
        start = time.perf_counter()
        std = run_case(case, args.out, args.precision, args.tsv)
        print(f"{case}: logit std {std:.4g}, {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
