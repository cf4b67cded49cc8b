"""MNIST's form and the augmentation that trains for other people's handwriting."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from digitocr.data.augment import AugmentConfig, augment, european, recut
from digitocr.preprocess import SIZE, image_to_mnist_form, ink_from_image, to_mnist_form


def centre_of_mass(field: np.ndarray) -> tuple[float, float]:
    ys, xs = np.indices(field.shape)
    return (ys * field).sum() / field.sum(), (xs * field).sum() / field.sum()


def test_tall_stroke_fits_20_pixels_high_and_is_centred():
    ink = np.zeros((100, 300), np.float32)
    ink[10:90, 40:60] = 1.0  # 80 tall, 20 wide, off-centre
    field = to_mnist_form(ink)
    assert field.shape == (SIZE, SIZE) and field.dtype == np.float32
    rows = np.flatnonzero((field > 0.5).any(axis=1))
    cols = np.flatnonzero((field > 0.5).any(axis=0))
    assert rows[-1] - rows[0] + 1 == 20  # the longer side scaled to 20
    assert 4 <= cols[-1] - cols[0] + 1 <= 5  # aspect ratio kept: 20 * 20 / 80 = 5, edges soft after centring
    assert abs(field.sum() - 20 * 5) < 5  # the ink of a 20 x 5 bar
    cy, cx = centre_of_mass(field)
    assert abs(cy - 13.5) < 0.05 and abs(cx - 13.5) < 0.05


def test_blank_image_gives_an_empty_field():
    assert not to_mnist_form(np.zeros((40, 40))).any()
    assert not image_to_mnist_form(np.full((40, 40), 255, np.uint8)).any()


def test_grey_paper_becomes_zero_and_blue_ink_counts():
    page = np.full((60, 60, 3), (200, 205, 210), np.uint8)  # greyish paper
    page[20:40, 28:32] = (30, 40, 200)  # a blue pen stroke (BGR or RGB alike: min channel is dark)
    ink = ink_from_image(page)
    assert ink[0, 0] == 0.0 and ink[30, 30] == pytest.approx(1.0)
    assert image_to_mnist_form(page).max() > 0.9


def test_transparent_pixels_are_paper():
    rgba = np.zeros((30, 30, 4), np.uint8)  # all black but fully transparent...
    rgba[10:20, 14:16] = (0, 0, 0, 255)  # ...except one opaque stroke
    ink = ink_from_image(rgba)
    assert ink[0, 0] == 0.0 and ink[15, 15] == 1.0


def test_augmentation_is_seeded_bounded_and_shape_preserving():
    x = torch.rand(16, 1, 28, 28)
    a = augment(x.clone(), AugmentConfig(), torch.Generator().manual_seed(0))
    b = augment(x.clone(), AugmentConfig(), torch.Generator().manual_seed(0))
    c = augment(x.clone(), AugmentConfig(), torch.Generator().manual_seed(1))
    assert a.shape == x.shape and a.min() >= 0 and a.max() <= 1
    assert torch.equal(a, b) and not torch.equal(a, c)


def test_augmentation_with_every_effect_off_is_the_identity():
    off = AugmentConfig(rotate_deg=0, shift_px=0, scale=(1, 1), aspect=0, shear=0, elastic_p=0, stroke_p=0,
                        blur_p=0, binarise_p=0, noise_p=0, fill_p=0)
    x = torch.rand(8, 1, 28, 28)
    torch.testing.assert_close(augment(x.clone(), off, torch.Generator().manual_seed(0)), x, atol=1e-5, rtol=0)


def test_thicker_strokes_add_ink():
    x = torch.zeros(4, 1, 28, 28)
    x[:, :, 6:22, 13:15] = 1.0
    only_strokes = AugmentConfig(rotate_deg=0, shift_px=0, scale=(1, 1), aspect=0, shear=0, elastic_p=0,
                                 stroke_p=1.0, blur_p=0, binarise_p=0, noise_p=0, fill_p=0)
    out = augment(x.clone(), only_strokes, torch.Generator().manual_seed(0))
    assert not torch.equal(out, x)
    assert (out.sum(dim=(1, 2, 3)) != x.sum(dim=(1, 2, 3))).all()


def test_a_crisp_pen_redraws_a_digit_thinner_or_bolder_and_never_erases_it():
    x = torch.zeros(32, 1, 28, 28)
    x[:, :, 6:22, 12:16] = torch.tensor([0.3, 0.8, 0.8, 0.3])  # a soft stroke, as MNIST's are
    x[:, :, 6:22, 20] = 0.4  # and a faint one that a high cut removes
    redrawn = recut(x.clone(), AugmentConfig(recut_p=1.0), torch.Generator().manual_seed(0))
    assert redrawn.min() >= 0 and redrawn.max() <= 1
    mass = redrawn.sum(dim=(1, 2, 3)) / x[0].sum()
    assert (mass < 0.8).any() and (mass > 1.05).any()  # some thinner, some bolder than drawn
    assert (redrawn[:, :, 6:22, 12:16].amax(dim=(1, 2, 3)) > 0.5).all()  # the main stroke always stays
    assert torch.equal(recut(x.clone(), AugmentConfig(), torch.Generator().manual_seed(0)), x)  # off by default


def test_european_habits_flag_the_ones_and_cross_the_sevens_only():
    x = torch.zeros(3, 1, 28, 28)
    x[:, :, 4:24, 13:16] = 1.0  # an upright stroke: a 1, a 7's stem, a 4's
    x[1, :, 4:7, 6:16] = 1.0  # the 7's bar
    labels = torch.tensor([1, 7, 4])
    out = european(x.clone(), labels, AugmentConfig(european_p=1.0), torch.Generator().manual_seed(0))
    added = (out - x)[:, 0] > 0.5
    assert torch.equal(out[2], x[2])  # a 4 as it was
    rows, cols = added[0].nonzero().T
    assert cols.min() <= 10 and cols.float().mean() < 13 and rows.max() <= 4 + 10  # the 1's flag: to the left, on top
    rows, cols = added[1].nonzero().T
    assert rows.min() >= 11 and rows.max() <= 17  # the 7's bar: across the stem at mid-height
    assert cols.min() < 13 and cols.max() > 15
    off = torch.Generator().manual_seed(0)
    assert torch.equal(augment(x.clone(), AugmentConfig(), off, labels),
                       augment(x.clone(), AugmentConfig(), torch.Generator().manual_seed(0)))  # off by default
