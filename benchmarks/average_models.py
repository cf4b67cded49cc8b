"""Average classifier models into one ONNX model: the mean of their probabilities, one graph, one file.

The ensemble the README tried (The round of 2026-11-23, the second): runs of one split seed averaged, then read
with `pages.py digits --split-seed SEED --model OUT` on that split's validation digits, which none of them trained on.

    .venv/bin/python benchmarks/average_models.py runs/mean.onnx runs/gpu-signs-s0/model.onnx runs/cnn-dollar/model.onnx

Each model follows the model contract (DESIGN.md: input `image`, output `probabilities`); the metadata beside the
first (its .json) goes beside the output, named after it.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import onnx
from onnx import compose, helper


def average(paths: list[Path], out: Path) -> None:
    """Write `out` (.onnx, and its .json) whose `probabilities` are the mean of the models' at `paths`."""
    models = [onnx.load(str(p)) for p in paths]
    nodes, initializers, outputs = [], [], []
    for k, model in enumerate(models):
        renamed = compose.add_prefix(model, f"m{k}_", rename_inputs=False)  # one shared `image` input
        nodes += renamed.graph.node
        initializers += renamed.graph.initializer
        outputs.append(renamed.graph.output[0].name)
    first = models[0].graph
    nodes.append(helper.make_node("Mean", outputs, [first.output[0].name]))
    graph = helper.make_graph(nodes, out.stem, [first.input[0]], [first.output[0]], initializers)
    merged = helper.make_model(graph, opset_imports=models[0].opset_import)
    merged.ir_version = models[0].ir_version
    onnx.checker.check_model(merged)
    onnx.save(merged, str(out))
    meta_path = Path(paths[0]).with_suffix(".json")
    meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
    out.with_suffix(".json").write_text(json.dumps({**meta, "name": out.stem, "averaged": [str(p) for p in paths]},
                                                   indent=2) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, help="the averaged model to write (.onnx)")
    parser.add_argument("models", type=Path, nargs="+", help="the models to average (.onnx)")
    args = parser.parse_args(argv)
    average(args.models, args.out)
    print(f"{args.out}: the mean of {len(args.models)} models")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
