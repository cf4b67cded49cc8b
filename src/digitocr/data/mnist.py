"""MNIST in its original IDX format: locate, read, verify.

Each file is verified by the MD5 of its decompressed bytes (so a .gz from any mirror checks out),
by its magic number and by its counts; image and label counts must agree.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitocr.errors import DataError

DATA_ENV = "DIGITOCR_DATA"


@dataclass(frozen=True)
class IdxFile:
    name: str  # the decompressed file name, e.g. "train-images-idx3-ubyte"
    md5: str
    size: int  # bytes once decompressed
    magic: int
    count: int


FILES = {
    "train-images": IdxFile("train-images-idx3-ubyte", "6bbc9ace898e44ae57da46a324031adb", 47_040_016, 2051, 60_000),
    "train-labels": IdxFile("train-labels-idx1-ubyte", "a25bea736e30d166cdddb491f175f624", 60_008, 2049, 60_000),
    "test-images": IdxFile("t10k-images-idx3-ubyte", "2646ac647ad5339dbf082846283269ea", 7_840_016, 2051, 10_000),
    "test-labels": IdxFile("t10k-labels-idx1-ubyte", "27ae3e4e09519cfbb04c329615203637", 10_008, 2049, 10_000),
}
SPLITS = ("train", "test")


def resolve_data_dir(data_dir: str | os.PathLike | None) -> Path:
    """The MNIST folder: the --data option, else $DIGITOCR_DATA, else a clear error."""
    chosen = data_dir or os.environ.get(DATA_ENV)
    if not chosen:
        raise DataError("--data", f"no MNIST folder given: pass --data DIR or set {DATA_ENV} "
                        "(or download one with 'digitocr data fetch --dest DIR')")
    path = Path(chosen)
    if not path.is_dir():
        raise DataError(path, "not a folder of MNIST IDX files")
    return path


def find_file(data_dir: Path, spec: IdxFile) -> Path:
    for candidate in (data_dir / spec.name, data_dir / f"{spec.name}.gz"):
        if candidate.is_file():
            return candidate
    raise DataError(data_dir / f"{spec.name}.gz", "missing (neither it nor the uncompressed file is there)")


def read_bytes(path: Path) -> bytes:
    """The file's decompressed content; a broken gzip is a DataError naming the file."""
    raw = path.read_bytes()
    if raw[:2] != b"\x1f\x8b":
        return raw
    try:
        return gzip.decompress(raw)
    except EOFError:
        raise DataError(path, "truncated gzip (the download was cut short?)") from None
    except (OSError, zlib.error) as exc:
        raise DataError(path, f"corrupt gzip ({exc})") from None


def parse_idx(path: Path, content: bytes, spec: IdxFile | None = None) -> np.ndarray:
    """IDX bytes -> uint8 array; checks the magic number and that the data fills the declared shape."""
    if len(content) < 8:
        raise DataError(path, f"too short for an IDX file ({len(content)} bytes)")
    magic = struct.unpack(">I", content[:4])[0]
    if spec is not None and magic != spec.magic:
        raise DataError(path, f"wrong magic number {magic} (expected {spec.magic})")
    if magic >> 8 != 0x08:
        raise DataError(path, f"wrong magic number {magic} (not an unsigned-byte IDX file)")
    ndim = magic & 0xFF
    header = 4 + 4 * ndim
    if len(content) < header:
        raise DataError(path, "truncated IDX header")
    dims = struct.unpack(f">{ndim}I", content[4:header])
    expected = int(np.prod(dims)) if dims else 0
    if len(content) - header != expected:
        raise DataError(path, f"holds {len(content) - header} data bytes, its header declares {expected} "
                        f"({' x '.join(map(str, dims))})")
    if spec is not None and dims[0] != spec.count:
        raise DataError(path, f"holds {dims[0]} items, expected {spec.count}")
    return np.frombuffer(content, np.uint8, offset=header).reshape(dims)


def load_file(data_dir: Path, key: str, verify: bool = True) -> np.ndarray:
    spec = FILES[key]
    return load_path(find_file(data_dir, spec), spec, verify)


def load_path(path: Path, spec: IdxFile, verify: bool = True) -> np.ndarray:
    """One file (.gz or not, any name) checked against `spec`: MD5 of its decompressed bytes, magic, count."""
    content = read_bytes(path)
    if verify:
        digest = hashlib.md5(content).hexdigest()
        if digest != spec.md5:
            raise DataError(path, f"checksum mismatch: MD5 of its decompressed bytes is {digest}, "
                            f"expected {spec.md5}")
    return parse_idx(path, content, spec)


def load_split(split: str, data_dir: str | os.PathLike | None = None, verify: bool = True
               ) -> tuple[np.ndarray, np.ndarray]:
    """('train' | 'test') -> (images uint8 [N, 28, 28], labels uint8 [N]), verified."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    folder = resolve_data_dir(data_dir)
    images = load_file(folder, f"{split}-images", verify)
    labels = load_file(folder, f"{split}-labels", verify)
    if len(images) != len(labels):
        raise DataError(folder, f"{len(images)} {split} images but {len(labels)} labels")
    if labels.max(initial=0) > 9:
        raise DataError(find_file(folder, FILES[f"{split}-labels"]), f"label {labels.max()} is not a digit")
    return images, labels


def split_validation(n: int, val_size: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train indices, validation indices), a seeded random split of range(n): the split that training holds out
    (here, torch-free, so that benchmarks can hold out the same digits)."""
    order = np.random.default_rng(seed).permutation(n)
    val_size = min(val_size, max(1, n // 10))
    return np.sort(order[val_size:]), np.sort(order[:val_size])


def checksums(data_dir: str | os.PathLike | None = None) -> dict[str, str]:
    """MD5 of each decompressed file, for model cards: {file name: md5}. Verifies as it goes."""
    folder = resolve_data_dir(data_dir)
    out = {}
    for spec in FILES.values():
        content = read_bytes(find_file(folder, spec))
        out[spec.name] = hashlib.md5(content).hexdigest()
    return out
