"""{"pixels": 28 rows of 28 numbers in [0, 1]} -> the model's input, or a 422 that says what is wrong."""

from __future__ import annotations

import json

import numpy as np
from fastapi import HTTPException

SIZE = 28
EXPECTED = 'expected {"pixels": [[28 numbers], ... 28 rows]}, values in [0, 1], ink = 1'


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def parse_pixels(body: bytes) -> np.ndarray:
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise HTTPException(422, f"the body is not valid JSON ({exc})") from None
    if not isinstance(payload, dict) or "pixels" not in payload:
        raise HTTPException(422, EXPECTED)
    rows = payload["pixels"]
    if not isinstance(rows, list) or len(rows) != SIZE:
        got = plural(len(rows), "row") if isinstance(rows, list) else f"a {type(rows).__name__}"
        raise HTTPException(422, f"pixels must be {SIZE} rows of {SIZE} numbers, got {got}")
    for i, row in enumerate(rows):
        if not isinstance(row, list) or len(row) != SIZE:
            got = plural(len(row), "value") if isinstance(row, list) else f"a {type(row).__name__}"
            raise HTTPException(422, f"pixels must be {SIZE} rows of {SIZE} numbers: row {i} has {got}")
        for j, value in enumerate(row):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise HTTPException(422, f"pixels[{i}][{j}] is {json.dumps(value)[:30]}, not a number")
    pixels = np.array(rows, dtype=np.float32)
    if not np.isfinite(pixels).all() or pixels.min() < 0 or pixels.max() > 1:
        i, j = np.argwhere(~((pixels >= 0) & (pixels <= 1)))[0]
        raise HTTPException(422, f"pixels[{i}][{j}] is {rows[i][j]}: values must be in [0, 1] (ink = 1)")
    if not pixels.any():
        raise HTTPException(422, "no ink: every pixel is 0")
    return pixels
