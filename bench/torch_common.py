"""What the PyTorch benchmarks share (bench/torch_step.py on the CPU, bench/torch_gpu_step.py on a CUDA GPU): the
network definitions and the step they time, so both compare against `xception bench` with the same work.

A training step is forward, cross-entropy with label smoothing 0.1, backward and an SGD step (momentum 0.9, weight
decay 1e-5, lr 1e-4); an inference step is an evaluation forward under no_grad."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "oracle"))
import torch  # noqa: E402
from pytorch_oracle import MODELS  # noqa: E402

CLASSES = 1000
IMAGE_SIZE = 299
LABEL_SMOOTHING = 0.1
SGD_SETTINGS = {"lr": 1e-4, "momentum": 0.9, "weight_decay": 1e-5}
# timm >= 0.9 calls its port of the original Xception "legacy_xception"; older releases call it "xception".
TIMM_NAMES = ("legacy_xception", "xception")


def oracle_xception():
    """The canonical Xception as the oracle defines it (written from the architecture, no timm)."""
    return MODELS["xception"]()


def timm_xception():
    """timm's legacy Xception, randomly initialised (no download). Returns (model, timm model name, timm version);
    raises ImportError when timm is missing."""
    import timm  # only this network needs it

    available = set(timm.list_models())
    for name in TIMM_NAMES:
        if name in available:
            return timm.create_model(name, pretrained=False, num_classes=CLASSES), name, timm.__version__
    raise ImportError(f"timm {timm.__version__} has none of {', '.join(TIMM_NAMES)}")


def make_step(model, x, labels, mode):
    """Puts the model in train or eval mode and returns a function that runs one step of that mode on (x, labels).
    The optimiser is made here so each benchmark gets a fresh momentum state."""
    training = mode == "train"
    model.train(training)
    if not training:
        def infer():
            with torch.no_grad():
                model(x)
        return infer

    optimizer = torch.optim.SGD(model.parameters(), **SGD_SETTINGS)

    def train():
        optimizer.zero_grad(set_to_none=True)
        loss = torch.nn.functional.cross_entropy(model(x), labels, label_smoothing=LABEL_SMOOTHING)
        loss.backward()
        optimizer.step()
    return train
