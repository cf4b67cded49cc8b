"""Make the bundled example digits from MNIST *test* images (never training digits).

Writes src/digitocr/assets/examples/digits_by_label/D/*.png: ten digits of each class, drawn as
dark ink on slightly grey paper at 3x size, the way a user's own scans would look.

    .venv/bin/python scripts/make_examples.py --data ../shared/data/mnist
"""

from __future__ import annotations

import argparse
from pathlib import Path

import cv2
import numpy as np

from digitocr.data.mnist import load_split

OUT = Path(__file__).resolve().parents[1] / "src" / "digitocr" / "assets" / "examples" / "digits_by_label"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="MNIST folder (default: $DIGITOCR_DATA)")
    parser.add_argument("--per-digit", type=int, default=10)
    args = parser.parse_args()
    images, labels = load_split("test", args.data)
    for digit in range(10):
        folder = OUT / str(digit)
        folder.mkdir(parents=True, exist_ok=True)
        for index in np.flatnonzero(labels == digit)[: args.per_digit]:
            big = cv2.resize(images[index], (84, 84), interpolation=cv2.INTER_CUBIC).astype(np.float32) / 255
            page = (232 - 200 * np.clip(big, 0, 1)).astype(np.uint8)  # grey paper, dark ink
            cv2.imwrite(str(folder / f"mnist_test_{index:05d}.png"), page)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
