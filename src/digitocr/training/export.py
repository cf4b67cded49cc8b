"""Export a trained model to ONNX under the model contract of DESIGN.md.

Input `image`: float32 [N, 1, 28, 28] in [0, 1], ink = 1. Output `probabilities`: [N, 10] (or [N, 11]
with "not a digit" last, named in the metadata's classes), the softmax of the logits divided by a
temperature fitted on the validation split, so that the confidences the reader reports are calibrated.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path

import numpy as np
import torch
from torch import nn

from digitocr.data.negatives import CLASS_NAMES


class Calibrated(nn.Module):
    def __init__(self, model: nn.Module, temperature: float):
        super().__init__()
        self.model = model
        self.temperature = temperature

    def forward(self, x):
        return torch.softmax(self.model(x) / self.temperature, dim=1)


def fit_temperature(logits: torch.Tensor, labels: torch.Tensor) -> float:
    """The temperature that minimises validation NLL (Guo et al., 2017)."""
    log_t = torch.zeros(1, requires_grad=True)
    opt = torch.optim.LBFGS([log_t], lr=0.1, max_iter=100)

    def closure():
        opt.zero_grad()
        loss = nn.functional.cross_entropy(logits / log_t.exp(), labels)
        loss.backward()
        return loss

    opt.step(closure)
    return float(log_t.detach().exp().clamp(0.05, 20.0))


def sha256_of(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def export_onnx(model: nn.Module, path: Path, temperature: float = 1.0, metadata: dict | None = None,
                classes: int = 10) -> dict:
    """Write `path` (.onnx) and its metadata beside it (same name, .json); returns the metadata."""
    path = Path(path)
    wrapped = Calibrated(model, temperature).eval()
    example = torch.zeros(2, 1, 28, 28)
    torch.onnx.export(
        wrapped, (example,), str(path), input_names=["image"], output_names=["probabilities"],
        dynamic_axes={"image": {0: "batch"}, "probabilities": {0: "batch"}}, opset_version=17, dynamo=False,
    )
    meta = {
        "name": path.stem,
        "input": {"name": "image", "shape": ["batch", 1, 28, 28], "dtype": "float32", "range": [0, 1],
                  "ink": 1, "form": "MNIST: bounding box fit to 20x20, centre of mass at the centre of 28x28"},
        "output": {"name": "probabilities", "kind": "probabilities", "classes": CLASS_NAMES[:classes]},
        "temperature": temperature,
        "sha256": sha256_of(path),
        **(metadata or {}),
    }
    path.with_suffix(".json").write_text(json.dumps(meta, indent=2) + "\n")
    return meta


def quantize_int8(fp32_path: Path, out_path: Path, calibration: np.ndarray) -> Path:
    """Static INT8 quantization (per-channel weights, QDQ) calibrated on training images.

    On CPUs with VNNI this runs ~2x faster than float32 at the same accuracy; `ship` checks the
    accuracy on the validation split before choosing it. `calibration`: float32 [N, 1, 28, 28].
    """
    from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process

    class Batches(CalibrationDataReader):
        def __init__(self):
            self.batches = iter([{"image": calibration[i : i + 200]} for i in range(0, len(calibration), 200)])

        def get_next(self):
            return next(self.batches, None)

    import onnx

    with tempfile.TemporaryDirectory() as tmp:
        prepared = Path(tmp) / "prepared.onnx"
        quant_pre_process(str(fp32_path), str(prepared))
        # The temperature division and the softmax stay float32: quantized, probabilities come in steps of
        # 1/255, which caps every confidence at 0.996 and rounds the runners-up to 0.
        float_tail = [n.name for n in onnx.load(str(prepared)).graph.node if n.op_type in ("Div", "Softmax")]
        quantize_static(str(prepared), str(out_path), Batches(), quant_format=QuantFormat.QDQ,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, per_channel=True,
                        nodes_to_exclude=float_tail)
    return Path(out_path)
