"""File -> page images. (Being written: see the PageImage contract.)"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class PageImage:
    number: int  # 1-based page number within the file
    image: np.ndarray  # uint8, H x W (grey) or H x W x 3 (RGB)
    dpi: int | None  # resolution the page was rendered or scanned at, when known
