"""The architectures (PyTorch), by name. Every model maps [N, 1, 28, 28] in [0, 1] to [N, classes] logits:
the ten digits, and an eleventh "not a digit" when trained with negatives (data/negatives.py)."""

from __future__ import annotations

from torch import nn

from digitocr.models.baseline import Baseline
from digitocr.models.cnn import DigitCNN
from digitocr.models.mlp import MLP

ARCHITECTURES: dict[str, type[nn.Module]] = {"baseline": Baseline, "mlp": MLP, "cnn": DigitCNN}


def build_model(arch: str, **params) -> nn.Module:
    if arch not in ARCHITECTURES:
        raise ValueError(f"unknown architecture {arch!r}: choose one of {', '.join(ARCHITECTURES)}")
    return ARCHITECTURES[arch](**params)
