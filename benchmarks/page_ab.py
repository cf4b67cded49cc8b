"""Is the reader faster or slower than at another commit? The speed page, read in turns by both.

    .venv/bin/python benchmarks/page_ab.py --base HEAD~3 --data ../shared/data/mnist [--pairs 40]

A shared machine's speed wanders by 15% or more over minutes, more than most changes to the reader
gain or cost, so two runs of `pages.py speed` at different times do not compare. Here two worker
processes, one on the working tree's `src` and one on `--base` (checked out into a temporary git
worktree), read the same page (`pages.py speed`'s A4 page, or `--page`) in alternating turns, so that
both see the same machine. Printed: each one's median and fastest read, and the median over the pairs of
the working tree's time over the base's (below 1: faster now). The shipped models of each tree are used.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

WORKER = r"""
import sys, time
sys.path.insert(0, sys.argv[1])
import digitocr
from digitocr.classifier import Classifier
model, page = Classifier(), sys.argv[2]
for _ in range(2):
    digitocr.read(page, model=model)
print(digitocr.__file__, flush=True)
for _ in sys.stdin:
    start = time.perf_counter()
    digitocr.read(page, model=model)
    print(time.perf_counter() - start, flush=True)
"""


def alternate(sources: list[Path], page: Path, pairs: int) -> list[list[float]]:
    """Seconds per read for each source tree, read in turns (the order flips each pair)."""
    workers = [subprocess.Popen([sys.executable, "-c", WORKER, str(src), str(page)], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, text=True) for src in sources]
    try:
        for worker, src in zip(workers, sources, strict=True):
            loaded = worker.stdout.readline().strip()
            if not loaded.startswith(str(src)):
                raise SystemExit(f"page_ab: the worker for {src} loaded {loaded or 'nothing'}")
        times: list[list[float]] = [[] for _ in sources]
        for i in range(pairs):
            for k in (0, 1) if i % 2 == 0 else (1, 0):
                workers[k].stdin.write("read\n")
                workers[k].stdin.flush()
                times[k].append(float(workers[k].stdout.readline()))
        return times
    finally:
        for worker in workers:
            worker.stdin.close()
            worker.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", required=True, help="the commit to compare with (anything git rev-parse takes)")
    parser.add_argument("--data", help="MNIST folder, for the speed page (not needed with --page)")
    parser.add_argument("--page", type=Path, help="read this page instead of the speed page")
    parser.add_argument("--pairs", type=int, default=40)
    args = parser.parse_args(argv)
    if args.page is None and args.data is None:
        parser.error("give --data (to make the speed page) or --page")
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        base = tmp_path / "base"
        subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base), args.base], check=True)
        try:
            page = args.page
            if page is None:
                sys.path.insert(0, str(ROOT / "benchmarks"))
                from pages import Digits, speed_page

                page, _ = speed_page(Digits.load(args.data), tmp_path)
            base_times, now_times = alternate([base / "src", ROOT / "src"], page, args.pairs)
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], check=True)
    ratio = statistics.median(n / b for n, b in zip(now_times, base_times, strict=True))
    print(f"{args.pairs} pairs of reads of {'the speed page' if args.page is None else args.page}")
    print(f"  {args.base:<20} median {statistics.median(base_times):.3f} s, fastest {min(base_times):.3f} s")
    print(f"  {'working tree':<20} median {statistics.median(now_times):.3f} s, fastest {min(now_times):.3f} s")
    print(f"  working tree / {args.base}, median of the pairs: {ratio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
