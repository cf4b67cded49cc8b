"""Load on `digitocr serve`: N clients posting a page to /v1/read in a loop, on 127.0.0.1.

    .venv/bin/python benchmarks/serve_load.py [--clients 20] [--seconds 30] [--file PAGE] [--json out.json]

Starts `digitocr serve` on a free port (or uses --url), waits for /v1/health, then runs the clients for
--seconds; each sends its next request as soon as its last one is answered, and stops starting new ones
when the time is up. Prints requests per second, latency (p50, p90, p99, max) and the errors: any answer
that is not 200 or whose text differs from the first answer's, and any request that fails. Exits 1 if
there was an error. Standard library only on the client side.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "src" / "digitocr" / "assets" / "examples" / "page.png"


def multipart(data: bytes, name: str) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def start_server(max_upload_mb: float) -> tuple[subprocess.Popen, str]:
    """`digitocr serve --port 0` in a subprocess; its URL from the line it prints."""
    command = [sys.executable, "-m", "digitocr.cli", "serve", "--port", "0", "--max-upload-mb", str(max_upload_mb)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               env={**os.environ, "PYTHONUNBUFFERED": "1"})
    line = process.stdout.readline()
    match = re.search(r"(http://[\d.]+:\d+)/", line)
    if not match:
        process.kill()
        sys.exit(f"serve_load: the server did not start: {line.strip() or 'no output'}")
    return process, match[1]


def wait_for_health(url: str, timeout: float = 60) -> dict:
    host, port = url.removeprefix("http://").split(":")
    deadline = time.monotonic() + timeout
    while True:
        try:
            conn = http.client.HTTPConnection(host, int(port), timeout=5)
            conn.request("GET", "/v1/health")
            response = conn.getresponse()
            if response.status == 200:
                return json.loads(response.read())
        except OSError:
            pass
        if time.monotonic() > deadline:
            sys.exit(f"serve_load: {url}/v1/health did not answer in {timeout:.0f} s")
        time.sleep(0.1)


class Client(threading.Thread):
    """Posts the page again and again on one keep-alive connection until `stop_at`."""

    def __init__(self, url: str, body: bytes, content_type: str, stop_at: float, timeout: float, results: dict):
        super().__init__(daemon=True)
        self.host, port = url.removeprefix("http://").split(":")
        self.port = int(port)
        self.body, self.content_type = body, content_type
        self.stop_at, self.timeout, self.results = stop_at, timeout, results
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def run(self) -> None:
        conn = None
        while time.monotonic() < self.stop_at:
            start = time.perf_counter()
            try:
                if conn is None:
                    conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
                conn.request("POST", "/v1/read", body=self.body, headers={"Content-Type": self.content_type})
                response = conn.getresponse()
                payload = response.read()
                elapsed = time.perf_counter() - start
                if response.status != 200:
                    self.errors.append(f"HTTP {response.status}: {payload[:200]!r}")
                    continue
                text = json.loads(payload)["pages"][0]["text"]
                expected = self.results.setdefault("text", text)
                if text != expected:
                    self.errors.append(f"a different text: {text!r} (first answer: {expected!r})")
                    continue
                self.latencies.append(elapsed)
            except (OSError, http.client.HTTPException, ValueError, KeyError) as exc:
                self.errors.append(f"{type(exc).__name__}: {exc}")
                if conn is not None:
                    conn.close()
                conn = None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--file", type=Path, default=PAGE, help="the page to post (default: the example page)")
    parser.add_argument("--url", help="an already running server, e.g. http://127.0.0.1:8000 (default: start one)")
    parser.add_argument("--timeout", type=float, default=300, help="seconds a client waits for an answer")
    parser.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    args = parser.parse_args(argv)

    data = args.file.read_bytes()
    body, content_type = multipart(data, args.file.name)
    process = None
    if args.url:
        url = args.url.rstrip("/")
    else:
        process, url = start_server(max_upload_mb=max(20, len(body) / 2**20 + 1))
    try:
        health = wait_for_health(url)
        results: dict = {}
        print(f"{args.clients} clients posting {args.file.name} ({len(data):,} bytes) to {url}/v1/read "
              f"for {args.seconds:g} s", flush=True)
        start = time.monotonic()
        clients = [Client(url, body, content_type, start + args.seconds, args.timeout, results)
                   for _ in range(args.clients)]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        wall = time.monotonic() - start
    finally:
        if process is not None:
            process.terminate()
            process.wait(30)

    latencies = [t for c in clients for t in c.latencies]
    errors = [e for c in clients for e in c.errors]
    figures = {
        "clients": args.clients, "seconds": args.seconds, "wall_seconds": round(wall, 2), "file": str(args.file),
        "file_bytes": len(data), "requests": len(latencies) + len(errors), "ok": len(latencies),
        "errors": len(errors), "requests_per_second": round(len(latencies) / wall, 2),
        "latency_seconds": {name: round(f(latencies), 3) for name, f in (
            ("p50", lambda v: percentile(v, 50)), ("p90", lambda v: percentile(v, 90)),
            ("p99", lambda v: percentile(v, 99)), ("max", max), ("mean", statistics.fmean))} if latencies else {},
        "server": {"version": health.get("version"), "model": health.get("model")},
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version()},
    }
    lat = figures["latency_seconds"]
    print(f"requests {figures['requests']} in {wall:.1f} s: {figures['requests_per_second']:.2f} / s, "
          f"errors {len(errors)}")
    if lat:
        print(f"latency p50 {lat['p50']:.3f} s, p90 {lat['p90']:.3f} s, p99 {lat['p99']:.3f} s, max {lat['max']:.3f} s")
    print(f"machine: {os.cpu_count()} CPU cores, {platform.platform()}")
    for error in sorted(set(errors))[:10]:
        print(f"error: {error}", file=sys.stderr)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=1) + "\n")
    return 1 if errors or not latencies else 0


if __name__ == "__main__":
    sys.exit(main())
