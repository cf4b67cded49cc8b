"""How well string readers read touching strings of the held-out validation digits: as training makes them, and
with every 1 flagged and every 7 crossed, as much of Europe writes them.

    .venv/bin/python benchmarks/strings.py --data data/mnist [--model A.onnx B.onnx] [--count 3000] [--seed 11]

The strings are made by data/strings.py's `make_strings` from the validation split `digitocr train` holds out
(seed 0, 5,000 digits), afresh (`--seed`), never from test digits: this is the measure to choose a string reader
by. Each model is read with the reading path's StringReader (ONNX Runtime). Prints, per model and per kind of
string, the share read exactly, the same for the strings with a 1 or a 7 in them, and the share whose number of
digits is right.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from digitocr.data.mnist import load_split, split_validation
from digitocr.data.strings import make_strings
from digitocr.strings import shipped_strings_path
from digitocr.training.strings_card import score_strings

KINDS = {"as trained": 0.0, "European 1s and 7s": 1.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="MNIST folder (default: $DIGITOCR_DATA or data/mnist)")
    parser.add_argument("--model", nargs="+", default=None, help="string models (default: the shipped one)")
    parser.add_argument("--count", type=int, default=3000, help="strings of each kind (default: %(default)s)")
    parser.add_argument("--seed", type=int, default=11, help="the strings' seed (default: %(default)s)")
    parser.add_argument("--json", help="write the figures here too")
    args = parser.parse_args(argv)

    images, labels = load_split("train", args.data)
    _, val = split_validation(len(images), 5000, 0)  # the validation split every training run holds out
    models = args.model or [str(shipped_strings_path())]
    made = {kind: make_strings(images[val], labels[val], args.count, np.random.default_rng(args.seed), share)
            for kind, share in KINDS.items()}  # once, for every model to read
    results: dict[str, dict] = {}
    print(f"{args.count} strings of the 5,000 validation digits (seed {args.seed}), read exactly:")
    for model in models:
        results[model] = {kind: {"seed": args.seed, "european_p": share, **score_strings(Path(model), *made[kind])}
                          for kind, share in KINDS.items()}
        print(model)
        for kind, m in results[model].items():
            some = m["with_1_or_7"]
            print(f"  {kind:<20} {100 * m['accuracy']:6.2f}%   with a 1 or a 7 {100 * some['accuracy']:6.2f}%"
                  f" ({some['strings']})   number of digits right {100 * m['length_right']:6.2f}%")
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
