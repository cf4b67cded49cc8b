"""How fast the digit classifier runs under ONNX Runtime: load time, throughput by batch size, latency.

    .venv/bin/python benchmarks/classifier_speed.py [--model PATH] [--json out.json]

Measures through `digitocr.classifier.Classifier.predict`, the call the reader makes, so the float32
conversion and the softmax (for logit models) are included. Throughput is the median of several
timed repeats after warm-up; latency is one digit per call, median and 99th percentile.
No torch needed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import onnxruntime as ort

from digitocr.classifier import Classifier, shipped_model_path


def sample_digits(n: int, data_dir: str | None, seed: int = 0) -> np.ndarray:
    """n crops [n, 28, 28] float32 in [0, 1]: MNIST test images if a folder is given, else random strokes."""
    if data_dir:
        from digitocr.data.mnist import load_split

        images, _ = load_split("test", data_dir)
        reps = -(-n // len(images))
        return (np.tile(images, (reps, 1, 1))[:n] / 255.0).astype(np.float32)
    rng = np.random.default_rng(seed)
    x = np.zeros((n, 28, 28), np.float32)
    x[:, 4:24, 4:24] = rng.random((n, 20, 20), dtype=np.float32) ** 4  # sparse ink in the 20x20 box
    return x


def time_load(model: Path, threads: int | None, repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        Classifier(model, threads=threads)
        times.append(time.perf_counter() - t0)
    return times


def throughput(clf: Classifier, digits: np.ndarray, batch: int, repeats: int, warmup: int = 2,
               min_digits: int = 2048) -> dict:
    """Digits per second at one batch size: each repeat classifies at least `min_digits` digits."""
    calls = max(1, -(-min_digits // batch))
    batches = [digits[(i * batch) % (len(digits) - batch + 1):][:batch] for i in range(calls)]
    for _ in range(warmup):
        clf.predict(batches[0])
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for b in batches:
            clf.predict(b)
        rates.append(calls * batch / (time.perf_counter() - t0))
    return {"batch": batch, "digits_per_second": statistics.median(rates), "min": min(rates), "max": max(rates),
            "repeats": repeats, "digits_per_repeat": calls * batch}


def latency(clf: Classifier, digits: np.ndarray, calls: int, warmup: int = 50) -> dict:
    """Milliseconds to classify one digit, one call at a time."""
    singles = [digits[i % len(digits)][None] for i in range(calls)]
    for x in singles[:warmup]:
        clf.predict(x)
    times = []
    for x in singles:
        t0 = time.perf_counter()
        clf.predict(x)
        times.append(time.perf_counter() - t0)
    ms = np.array(times) * 1000
    return {"calls": calls, "median_ms": float(np.median(ms)), "p99_ms": float(np.percentile(ms, 99)),
            "mean_ms": float(ms.mean())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=shipped_model_path(),
                        help="ONNX model (default: the shipped src/digitocr/assets/digit_classifier.onnx)")
    parser.add_argument("--batch-sizes", default="1,64,256,1024", help="comma-separated (default: %(default)s)")
    parser.add_argument("--repeats", type=int, default=7, help="timed repeats per batch size (default: %(default)s)")
    parser.add_argument("--latency-calls", type=int, default=1000, help="single-digit calls (default: %(default)s)")
    parser.add_argument("--threads", type=int, help="ONNX Runtime intra-op threads (default: its own choice)")
    parser.add_argument("--data", metavar="DIR", default=os.environ.get("DIGITOCR_DATA"),
                        help="MNIST folder for real test digits (default: $DIGITOCR_DATA, else synthetic digits)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)
    if not args.model.is_file():
        print(f"{args.model}: no such model (train and ship one, or pass --model)", file=sys.stderr)
        return 2

    sizes = [int(s) for s in args.batch_sizes.split(",")]
    digits = sample_digits(max(4096, *sizes), args.data)
    loads = time_load(args.model, args.threads, repeats=5)
    clf = Classifier(args.model, threads=args.threads)
    rows = [throughput(clf, digits, b, args.repeats) for b in sizes]
    lat = latency(clf, digits, args.latency_calls)
    result = {
        "model": str(args.model), "sha256": clf.sha256, "model_bytes": args.model.stat().st_size,
        "load_seconds_median": statistics.median(loads), "load_seconds_first": loads[0],
        "throughput": rows, "latency": lat,
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(), "onnxruntime": ort.__version__,
                    "threads": args.threads, "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None},
        "inputs": "MNIST test" if args.data else "synthetic",
    }

    print(f"model {args.model} ({result['model_bytes'] / 1024:.0f} KiB), onnxruntime {ort.__version__}, "
          f"{os.cpu_count()} CPU cores, load average {result['machine']['load_average'][0]:.2f}")
    print(f"load: {1000 * result['load_seconds_median']:.1f} ms median of {len(loads)} "
          f"(first {1000 * loads[0]:.1f} ms)")
    print(f"\n{'batch':>6} {'digits/s':>11} {'min':>11} {'max':>11}")
    for r in rows:
        print(f"{r['batch']:>6} {r['digits_per_second']:>11,.0f} {r['min']:>11,.0f} {r['max']:>11,.0f}")
    print(f"\nlatency of one digit over {lat['calls']} calls: median {lat['median_ms']:.3f} ms, "
          f"p99 {lat['p99_ms']:.3f} ms")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
