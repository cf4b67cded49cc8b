"""Augmentation that makes MNIST look like other people's handwriting, on whole batches in torch.

European habits first when asked for (a flag on a 1, a bar across a 7); geometry (shift, rotation,
scale, aspect, shear, elastic distortion) is one grid_sample call; then a crisp pen's redrawing (off
unless asked for), stroke width (thinner or thicker), blur, binarisation and noise, each on a random
share of the batch. Everything runs on the batch tensor, so it costs little next to the training step.

The strengths are moderate on purpose: a first shipped run with twice these probabilities and
dropout 0.4 underfitted (augmented training accuracy 98.7%, validation flat at 99.45% for 18 epochs).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F


@dataclass
class AugmentConfig:
    rotate_deg: float = 10.0
    shift_px: float = 2.0
    scale: tuple[float, float] = (0.9, 1.15)
    aspect: float = 0.1  # width scaled by up to +-10% against height
    shear: float = 0.15  # horizontal shear factor, slanted writing
    elastic_p: float = 0.3
    elastic_px: float = 0.9  # typical displacement of the smooth random field, in pixels
    stroke_p: float = 0.25  # share of digits made thinner or thicker
    blur_p: float = 0.05
    binarise_p: float = 0.05
    noise_p: float = 0.05
    noise_std: float = 0.08
    fill_p: float = 0.03  # digits stretched to fill the whole 28x28 frame
    recut_p: float = 0.0  # digits redrawn with a crisp pen of another width (`recut`)
    european_p: float = 0.0  # share of 1s given a flag and of 7s crossed, as much of Europe writes them (`european`)

    def to_dict(self) -> dict:
        return asdict(self)


def _uniform(n: int, low: float, high: float, gen: torch.Generator) -> torch.Tensor:
    return torch.rand(n, generator=gen) * (high - low) + low


def _chosen(n: int, p: float, gen: torch.Generator) -> torch.Tensor:
    return torch.rand(n, generator=gen) < p


def geometry(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    n = x.shape[0]
    angle = _uniform(n, -cfg.rotate_deg, cfg.rotate_deg, gen) * math.pi / 180
    scale = _uniform(n, *cfg.scale, gen)
    aspect = _uniform(n, -cfg.aspect, cfg.aspect, gen)
    fill = _chosen(n, cfg.fill_p, gen)
    # "fill the box": the 20x20 MNIST box grown to (nearly) the whole 28x28 field, aspect free.
    scale = torch.where(fill, _uniform(n, 1.3, 1.4, gen), scale)
    aspect = torch.where(fill, _uniform(n, -0.3, 0.3, gen), aspect)
    sx, sy = scale * (1 + aspect), scale * (1 - aspect)
    shear = _uniform(n, -cfg.shear, cfg.shear, gen)
    cos, sin = torch.cos(angle), torch.sin(angle)
    # Output -> input sampling matrix: inverse of rotate @ shear @ scale.
    a = torch.stack([torch.stack([cos, -sin], 1), torch.stack([sin, cos], 1)], 1)
    sh = torch.zeros(n, 2, 2)
    sh[:, 0, 0], sh[:, 0, 1], sh[:, 1, 1] = 1, shear, 1
    sc = torch.zeros(n, 2, 2)
    sc[:, 0, 0], sc[:, 1, 1] = sx, sy
    forward = a @ sh @ sc
    inverse = torch.linalg.inv(forward)
    shift = _uniform(2 * n, -cfg.shift_px, cfg.shift_px, gen).view(n, 2) * (2 / 28)
    shift = torch.where(fill[:, None], torch.zeros_like(shift), shift)
    theta = torch.cat([inverse, (-inverse @ shift[:, :, None])], 2)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    elastic = _chosen(n, cfg.elastic_p, gen)
    if elastic.any():
        coarse = torch.randn(n, 2, 4, 4, generator=gen) * (cfg.elastic_px * 2 / 28)
        field = F.interpolate(coarse, size=x.shape[-2:], mode="bicubic", align_corners=False)
        grid = grid + (field * elastic[:, None, None, None]).permute(0, 2, 3, 1)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def stroke_width(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    n = x.shape[0]
    chosen = _chosen(n, cfg.stroke_p, gen)
    if not chosen.any():
        return x
    thicker = F.max_pool2d(x, 3, 1, 1)
    thinner = -F.max_pool2d(-x, 3, 1, 1)
    # A fractional amount of dilation or erosion; erosion is kept partial so no digit vanishes.
    amount = _uniform(n, -0.7, 1.0, gen).view(n, 1, 1, 1)
    changed = torch.where(amount > 0, x + amount * (thicker - x), x + (-amount) * (thinner - x))
    return torch.where(chosen.view(n, 1, 1, 1), changed, x)


def recut(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    """The digit redrawn with a crisp pen of another width: blown up 4 times, its soft edge cut at a random level and
    shrunk back, as a scan of a fine or bold pen is, or a page benchmark's digit: hairlines with blots where MNIST's
    strokes crossed, or bold strokes. A cut that leaves no clear ink keeps the digit as it was."""
    n = x.shape[0]
    chosen = _chosen(n, cfg.recut_p, gen)
    if not chosen.any():
        return x
    idx = chosen.nonzero().squeeze(1)
    big = F.interpolate(x[idx], scale_factor=4, mode="bicubic", align_corners=False)
    level = _uniform(len(idx), 0.05, 0.75, gen).view(-1, 1, 1, 1)
    redrawn = F.avg_pool2d(((big - level) / 0.3).clamp(0, 1), 4)
    kept = redrawn.amax(dim=(1, 2, 3)) > 0.5
    out = x.clone()
    out[idx[kept]] = redrawn[kept]
    return out


def stroke(x: torch.Tensor, a: tuple[float, float], b: tuple[float, float], width: float) -> torch.Tensor:
    """One image [1, 28, 28] with a straight stroke from a to b ((x, y), pixels) drawn in, `width` wide with a soft
    edge a pixel wide, as MNIST's strokes have."""
    ys, xs = torch.meshgrid(torch.arange(28.0), torch.arange(28.0), indexing="ij")
    (ax, ay), (bx, by) = a, b
    dx, dy = bx - ax, by - ay
    t = (((xs - ax) * dx + (ys - ay) * dy) / max(dx * dx + dy * dy, 1e-6)).clamp(0, 1)
    dist = torch.hypot(xs - (ax + t * dx), ys - (ay + t * dy))
    return torch.maximum(x, (width / 2 + 0.5 - dist).clamp(0, 1))


def european(x: torch.Tensor, labels: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    """A share of the 1s given a flag (a stroke from the top down to the left, 30 to 50 degrees from the stem and
    0.3 to 0.5 of its height long: steeper and shorter than a 7's bar) and of the 7s crossed (a short
    bar through the stem at mid-height), as much of Europe writes them: MNIST, written in the United States, has
    few of either. Before the geometry, so both lean and bend with the digit. The stroke is as wide as the digit's
    own (its ink over its height, per stroke)."""
    n = x.shape[0]
    chosen = _chosen(n, cfg.european_p, gen) & ((labels == 1) | (labels == 7))
    if not chosen.any():
        return x
    out = x.clone()
    for i in chosen.nonzero().squeeze(1).tolist():
        rows = (x[i, 0] > 0.3).any(dim=1).nonzero().squeeze(1)
        cols = (x[i, 0] > 0.3).any(dim=0).nonzero().squeeze(1)
        if len(rows) < 6:
            continue
        top, bottom, height = int(rows[0]), int(rows[-1]), int(rows[-1] - rows[0] + 1)
        r = torch.rand(3, generator=gen).tolist()
        if int(labels[i]) == 1:
            width = float((x[i, 0].sum() / height).clamp(1.2, 4.0))
            tip = float((x[i, 0, top] > 0.3).nonzero().float().mean())
            foot = float((x[i, 0, bottom] > 0.3).nonzero().float().mean())
            lean = math.atan2(foot - tip, height)  # the stem's, from upright (a / leans to the left: negative)
            length, angle = height * (0.3 + 0.2 * r[0]), lean - math.radians(30 + 20 * r[1])
            end = (tip + length * math.sin(angle), top + length * math.cos(angle))
            out[i] = stroke(out[i], (tip, float(top)), end, width)
        else:
            width = float((x[i, 0].sum() / (1.8 * height)).clamp(1.2, 4.0))
            row = round(top + (0.45 + 0.15 * r[0]) * (bottom - top))
            on = (x[i, 0, row] > 0.3).nonzero()
            if len(on) == 0:
                continue
            centre = float(on.float().mean())
            half = 0.5 * (0.35 + 0.2 * r[1]) * float(cols[-1] - cols[0] + 1)
            tilt = (r[2] - 0.5) * 2.0
            out[i] = stroke(out[i], (centre - half, row + tilt), (centre + half, row - tilt), width)
    return out


def blur(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    n = x.shape[0]
    chosen = _chosen(n, cfg.blur_p, gen)
    if not chosen.any():
        return x
    k = torch.tensor([0.25, 0.5, 0.25])
    kernel = (k[:, None] * k[None, :]).view(1, 1, 3, 3)
    return torch.where(chosen.view(n, 1, 1, 1), F.conv2d(x, kernel, padding=1), x)


def binarise(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    n = x.shape[0]
    chosen = _chosen(n, cfg.binarise_p, gen)
    if not chosen.any():
        return x
    level = _uniform(n, 0.25, 0.6, gen).view(n, 1, 1, 1)
    return torch.where(chosen.view(n, 1, 1, 1), (x > level).float(), x)


def noise(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator) -> torch.Tensor:
    n = x.shape[0]
    chosen = _chosen(n, cfg.noise_p, gen).view(n, 1, 1, 1)
    if not chosen.any():
        return x
    speckle = torch.randn(x.shape, generator=gen) * cfg.noise_std
    return torch.where(chosen, x + speckle, x)


def augment(x: torch.Tensor, cfg: AugmentConfig, gen: torch.Generator,
            labels: torch.Tensor | None = None) -> torch.Tensor:
    """A batch [N, 1, 28, 28] in [0, 1] (ink = 1) -> an augmented batch of the same shape. `labels` are needed for
    what depends on the digit (`european`)."""
    if cfg.european_p > 0 and labels is not None:
        x = european(x, labels, cfg, gen)
    x = geometry(x, cfg, gen)
    x = recut(x, cfg, gen)
    x = stroke_width(x, cfg, gen)
    x = blur(x, cfg, gen)
    x = binarise(x, cfg, gen)
    x = noise(x, cfg, gen)
    return x.clamp_(0.0, 1.0)
