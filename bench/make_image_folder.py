#!/usr/bin/env python3
"""Writes a small ImageNet-style folder, DIR/train/<class>/*.JPEG and DIR/val/<class>/*.JPEG, for the GPU check's
run of the new user's command (no ImageNet on the GPU machine). Each class is a colour, so the images decode and
augment like real ones; the content is not meant to be learned in one epoch."""
import argparse
import random
from pathlib import Path

from PIL import Image


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("directory")
    parser.add_argument("--classes", type=int, default=1000, help="the recipe's num_classes (1000 for ImageNet)")
    parser.add_argument("--train-per-class", type=int, default=1)
    parser.add_argument("--val-per-class", type=int, default=1)
    parser.add_argument("--size", type=int, default=340)
    args = parser.parse_args()

    rng = random.Random(0)
    root = Path(args.directory)
    for split, count in (("train", args.train_per_class), ("val", args.val_per_class)):
        for index in range(args.classes):
            folder = root / split / f"n{index:08d}"
            folder.mkdir(parents=True, exist_ok=True)
            colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
            for sample in range(count):
                Image.new("RGB", (args.size, args.size), colour).save(folder / f"{split}{sample:03d}.JPEG", quality=90)
    print(f"{root}: {args.classes} classes, {args.train_per_class} train and {args.val_per_class} val images each")


if __name__ == "__main__":
    main()
