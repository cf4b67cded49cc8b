"""Download MNIST from mirrors: resume, retry, verify, then rename into place.

Each file goes to `<name>.gz.part` first (resumed with an HTTP Range request when a part is
there), is verified by the MD5 of its decompressed bytes, and only then renamed to `<name>.gz`,
so the folder never holds a half-written file under its real name. Only urllib: no dependency.
"""

from __future__ import annotations

import http.client
import os
import re
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from tqdm import tqdm

from digitocr.data import mnist
from digitocr.errors import DataError

# Known public mirrors of the original .gz files (the ones torchvision and TensorFlow use).
DEFAULT_MIRRORS = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
]
CHUNK = 1 << 16
USER_AGENT = "digitocr (MNIST fetch; Python urllib)"


class MirrorError(Exception):
    """One attempt at one mirror failed. `transient` faults (down, timeout, 5xx) are worth retrying."""

    def __init__(self, reason: str, transient: bool):
        super().__init__(reason)
        self.transient = transient


def mirror_list(mirrors: list[str] | None, use_default_mirrors: bool = True) -> list[str]:
    """The given mirrors first, then the public ones; each a base URL ending in '/', no repeats."""
    chosen = list(mirrors or []) + (DEFAULT_MIRRORS if use_default_mirrors else [])
    out: list[str] = []
    for base in chosen:
        base = base if base.endswith("/") else base + "/"
        if base not in out:
            out.append(base)
    return out


def problem(path: Path, spec: mnist.IdxFile) -> str | None:
    """Why `path` is not a good copy of `spec`, or None when it is."""
    try:
        mnist.load_path(path, spec)
    except DataError as exc:
        return exc.reason
    return None


def fetch_mnist(dest: str | os.PathLike, mirrors: list[str] | None = None, retries: int = 3, timeout: float = 30,
                *, use_default_mirrors: bool = True, backoff: float = 1.0, progress: bool = True) -> Path:
    """Make `dest` hold the four verified MNIST files; download what is missing or broken. Returns `dest`.

    Mirrors are tried in order: `mirrors`, then DEFAULT_MIRRORS (unless `use_default_mirrors` is
    False). A mirror that is down (refused, timeout, 5xx) is tried `retries` times, waiting `backoff`,
    2 x `backoff`, ... seconds between tries, then skipped; one that answers 404 (or another 4xx) or
    serves a file that fails verification is skipped at once. When no mirror gives a good copy, a
    DataError names the file and the last reason.
    """
    folder = Path(dest)
    if retries < 1:
        raise DataError("--retries", f"must be at least 1, not {retries}")
    bases = mirror_list(mirrors, use_default_mirrors)
    if not bases:
        raise DataError(folder, "no mirror to download from")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(folder, f"cannot create the folder ({exc.strerror or exc})") from None
    for spec in mnist.FILES.values():
        plain, target = folder / spec.name, folder / f"{spec.name}.gz"
        if plain.is_file():  # loaders prefer the uncompressed file, so it must be good or go
            reason = problem(plain, spec)
            if reason is None:
                _say(progress, f"{plain.name}: present and verified")
                continue
            print(f"{plain.name}: {reason}; removing it and using {target.name}", file=sys.stderr)
            try:
                plain.unlink()
            except OSError as exc:
                raise DataError(plain, f"broken ({reason}) and cannot be removed ({exc.strerror or exc})") from None
        if target.is_file() and problem(target, spec) is None:
            _say(progress, f"{target.name}: present and verified")
            continue
        fetch_file(spec, folder, bases, retries, timeout, backoff, progress)
    return folder


def fetch_file(spec: mnist.IdxFile, folder: Path, bases: list[str], retries: int, timeout: float,
               backoff: float, progress: bool) -> Path:
    """Download one file from the first mirror that gives a verified copy; rename it into place."""
    target = folder / f"{spec.name}.gz"
    part = folder / f"{spec.name}.gz.part"
    last = "no mirror tried"
    live = progress and sys.stderr.isatty()  # a moving bar on a terminal, one plain line in a log
    with tqdm(desc=target.name, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr,
              disable=not live, leave=True, dynamic_ncols=True) as bar:
        for base in bases:
            url = base + target.name
            for attempt in range(retries):
                try:
                    download_verified(url, part, spec, timeout, bar)
                except MirrorError as exc:
                    last = f"{url}: {exc}"
                    if exc.transient and attempt + 1 < retries:
                        tqdm.write(f"{target.name}: {last}; retrying", file=sys.stderr)
                        time.sleep(backoff * 2**attempt)
                        continue
                    tqdm.write(f"{target.name}: {last}; skipping this mirror", file=sys.stderr)
                    break
                try:
                    os.replace(part, target)
                except OSError as exc:
                    raise DataError(target, f"cannot move the download into place ({exc.strerror or exc})") from None
                bar.set_postfix_str("MD5 verified")
                if not live:
                    _say(progress, f"{target.name}: {target.stat().st_size:,} bytes from {base}, MD5 verified")
                return target
    raise DataError(target, f"no mirror gave a good copy (last: {last})")


def download_verified(url: str, part: Path, spec: mnist.IdxFile, timeout: float, bar: tqdm) -> None:
    """Download (or finish) `part` and verify it; a bad part is deleted and MirrorError raised.

    A resumed part may mix two mirrors' bytes (their .gz files differ), so when one fails
    verification it is downloaded once more, whole, before the mirror is blamed.
    """
    resumed_from = download(url, part, timeout, bar)
    reason = problem(part, spec)
    if reason is not None and resumed_from:
        part.unlink(missing_ok=True)
        download(url, part, timeout, bar)
        reason = problem(part, spec)
    if reason is not None:
        part.unlink(missing_ok=True)
        raise MirrorError(f"served a bad file ({reason})", transient=False)


def open_url(url: str, headers: dict[str, str], timeout: float):
    """urlopen, in one place (the tests wrap it to prove that nothing leaves 127.0.0.1)."""
    return urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=timeout)


def download(url: str, part: Path, timeout: float, bar: tqdm) -> int:
    """Fetch `url` into `part`, resuming from the part's size; returns the offset it resumed from.

    A server that ignores the Range header (200 instead of 206) sends the whole file: start over.
    Any network fault is a MirrorError; the bytes received so far stay in the part for a resume.
    """
    offset = part.stat().st_size if part.exists() else 0
    headers = {"User-Agent": USER_AGENT}
    if offset:
        headers["Range"] = f"bytes={offset}-"
    try:
        response = open_url(url, headers, timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and offset:  # nothing past the part's end: complete already, or too long
            return offset
        raise MirrorError(f"HTTP {exc.code} {exc.reason}", transient=exc.code >= 500 or exc.code in (408, 429)
                          ) from None
    except urllib.error.URLError as exc:
        raise MirrorError(f"unreachable ({exc.reason})", transient=True) from None
    except (TimeoutError, ConnectionError, http.client.HTTPException) as exc:
        raise MirrorError(f"failed ({exc or type(exc).__name__})", transient=True) from None
    with response:
        status = getattr(response, "status", None) or 200  # file:// answers have no status
        if status == 206 and not _range_starts_at(response.headers.get("Content-Range"), offset):
            part.unlink(missing_ok=True)
            raise MirrorError("answered with another byte range than the one asked for", transient=True)
        if status != 206:
            offset = 0
        length = response.headers.get("Content-Length")
        total = offset + int(length) if length and length.isdigit() else None
        bar.reset(total=total)
        bar.update(offset)
        received = offset
        try:
            with open(part, "ab" if offset else "wb") as out:
                while True:
                    try:
                        chunk = response.read(CHUNK)
                    except (OSError, http.client.HTTPException) as exc:  # sockets, TLS, timeouts
                        raise MirrorError(f"connection lost after {received} bytes ({exc or type(exc).__name__})",
                                          transient=True) from None
                    if not chunk:
                        break
                    out.write(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
        except OSError as exc:
            raise DataError(part, f"cannot write the download ({exc.strerror or exc})") from None
    if total is not None and received < total:
        raise MirrorError(f"connection closed after {received} of {total} bytes", transient=True)
    return offset


def _say(progress: bool, line: str) -> None:
    if progress:
        print(line, file=sys.stderr)


def _range_starts_at(content_range: str | None, offset: int) -> bool:
    match = re.match(r"bytes (\d+)-", content_range or "")
    return bool(match) and int(match.group(1)) == offset
