"""The string reader: touching strings for training, the strip form, CTC's best path, a training run, and what
it reads on a page."""

from __future__ import annotations

import json

import numpy as np
import pytest

from digitocr.data.mnist import load_split
from digitocr.data.strings import compose, digit_string, make_strings
from digitocr.preprocess import to_strip
from digitocr.strings import BLANK, StringReader, best_path


def test_strip_scales_the_ink_box_to_twenty_pixels_with_a_margin():
    ink = np.zeros((60, 130), np.float32)
    ink[10:50, 15:115] = 1.0  # 40 tall, 100 wide -> 20 x 50 in the strip
    strip = to_strip(ink)
    assert strip.shape == (28, 60)  # 50 + 2 * 4 = 58, rounded up to a multiple of 4
    rows, cols = np.flatnonzero(strip.max(axis=1) > 0.5), np.flatnonzero(strip.max(axis=0) > 0.5)
    assert (rows[0], rows[-1], cols[0], cols[-1]) == (4, 23, 4, 53)


def test_strip_of_nothing_is_paper_and_a_very_long_run_is_squeezed():
    assert to_strip(np.zeros((30, 30))).shape == (28, 8) and not to_strip(np.zeros((30, 30))).any()
    assert to_strip(np.ones((10, 1000), np.float32)).shape == (28, 256)


def test_best_path_merges_repeats_drops_blanks_and_keeps_each_characters_frames():
    frames = np.full((7, 11), 0.01, np.float32)
    for t, c in enumerate([1, BLANK, 1, 1, 2, BLANK, BLANK]):
        frames[t, c] = 0.9
    reading = best_path(frames)
    assert reading.text == "112"
    assert reading.spans == [(0, 0), (2, 3), (4, 4)]
    assert reading.probs.shape == (3, 10) and reading.probs[2, 2] == pytest.approx(0.9)
    assert reading.confidence == pytest.approx(0.9 ** 7)
    assert best_path(np.zeros((0, 11), np.float32)).text == ""


def test_composed_digits_touch_and_a_string_keeps_its_labels(mnist_dir):
    from digitocr.data.mnist import load_split

    images, labels = load_split("test", mnist_dir)
    rng = np.random.default_rng(4)
    strip, text = digit_string(images[:50], labels[:50], 4, rng)
    assert len(text) == 4 and all(c.isdigit() for c in text)
    assert strip.shape[0] == 28 and strip.shape[1] % 4 == 0 and strip.shape[1] > 28
    a, b = (np.pad(np.ones((20, 10), np.float32), 2) for _ in range(2))
    joined = compose([a, b], np.random.default_rng(0))
    assert joined.shape[1] < a.shape[1] + b.shape[1]  # pushed together past their paper margins
    strips, texts = make_strings(images[:50], labels[:50], 100, np.random.default_rng(1))
    assert len(strips) == len(texts) == 100 and {len(t) for t in texts} <= set(range(0, 9))
    assert len({len(t) for t in texts}) >= 5
    printed = [s for s, t in zip(strips, texts, strict=True) if t == ""]  # printed letters, to be read as nothing
    assert 2 <= len(printed) <= 20 and all(s.shape[0] == 28 and s.any() for s in printed)


def test_european_strings_flag_their_ones_and_cross_their_sevens_and_change_nothing_else(mnist_dir):
    from digitocr.data.mnist import load_split

    images, labels = load_split("test", mnist_dir)
    pick = np.flatnonzero(np.isin(labels, (0, 1, 7)))[:60]
    plain = make_strings(images[pick], labels[pick], 40, np.random.default_rng(2))
    same = make_strings(images[pick], labels[pick], 40, np.random.default_rng(2), european_p=0.0)
    assert plain[1] == same[1] and all(np.array_equal(a, b) for a, b in zip(plain[0], same[0], strict=True))

    def share(strip: np.ndarray, rows: slice) -> float:  # of the strip's ink (its 20 pixel tall band), in `rows`
        return float(strip[rows].sum() / strip[4:24].sum())

    def doubled(i: int, seed: int, european_p: float = 0.0) -> np.ndarray:  # the digit twice, as one string
        return digit_string(images[[i]], labels[[i]], 2, np.random.default_rng(seed), european_p)[0]

    ones, sevens = (np.flatnonzero(labels == d)[:30] for d in (1, 7))
    top = slice(4, 14)  # a 1's flag puts ink in the top half
    gain = [share(doubled(i, k, 1.0), top) - share(doubled(i, k), top) for k, i in enumerate(ones)]
    assert np.mean(gain) > 0.08 and sum(g > 0 for g in gain) >= 27
    bar = slice(12, 17)  # a 7's bar, 45% to 60% of its height down
    gain = [share(doubled(i, k, 1.0), bar) - share(doubled(i, k), bar) for k, i in enumerate(sevens)]
    assert np.mean(gain) > 0.06 and sum(g > 0 for g in gain) >= 27
    for k, i in enumerate(np.flatnonzero(labels == 0)[:5]):  # a 0 is drawn the same, whatever the share
        assert np.array_equal(doubled(i, k), doubled(i, k, 1.0))


def test_a_sign_in_front_of_a_string_widens_it_and_is_no_part_of_its_text(mnist_dir):
    from digitocr.data.mnist import load_split

    images, labels = load_split("test", mnist_dir)
    images, labels = images[:200], labels[:200]
    plain = make_strings(images, labels, 60, np.random.default_rng(7))
    same = make_strings(images, labels, 60, np.random.default_rng(7), signs_p=0.0)
    assert plain[1] == same[1] and all(np.array_equal(a, b) for a, b in zip(plain[0], same[0], strict=True))
    for k in range(20):
        bare, text = digit_string(images, labels, 3, np.random.default_rng(k))
        signed, signed_text = digit_string(images, labels, 3, np.random.default_rng(k), sign=True)
        assert signed_text == text and len(text) == 3
        assert signed.shape != bare.shape or not np.array_equal(signed, bare)  # the same digits, a sign before them
    strips, texts = make_strings(images, labels, 400, np.random.default_rng(8), signs_p=0.5)
    assert all(t.isdigit() or t == "" for t in texts)
    assert 0.08 * 0.5 * 400 / 3 < texts.count("") < 0.08 * 400 * 2  # printed letters, and as many signs alone


def test_one_epoch_writes_a_string_model_that_the_reader_loads(tmp_path, mnist_dir):
    from digitocr.data.sources import load_dataset
    from digitocr.training.strings import StringsConfig, train_strings

    config = StringsConfig(epochs=1, strings_per_epoch=200, limit=1000, val_size=200, seed=1)
    metrics = train_strings(config, load_dataset(data=str(mnist_dir)), tmp_path, progress=False)
    for name in ("model.onnx", "model.json", "metrics.json", "config.json", "history.csv", "learning_curves.png"):
        assert (tmp_path / name).is_file(), name
    assert metrics["epochs_run"] == 1 and 0.0 <= metrics["val_accuracy"] <= 1.0
    assert json.loads((tmp_path / "model.json").read_text())["output"]["classes"][-1] == "blank"
    reader = StringReader(tmp_path / "model.onnx")
    strips = [to_strip(np.pad(np.ones((20, 30 * n), np.float32), 3)) for n in (1, 3)]
    frames = reader.frames(strips)  # one padded batch, each cut back to its own frames
    assert [f.shape for f in frames] == [(s.shape[1] // 2, 11) for s in strips]
    assert np.allclose(frames[0].sum(axis=1), 1.0, atol=1e-4)


def test_a_wide_digit_after_a_narrow_one_is_placed_whole_whichever_the_join():
    narrow, wide = np.zeros((50, 11), np.float32), np.zeros((48, 48), np.float32)
    narrow[:, 4:7] = 1.0
    wide[5:45, 20:46] = 1.0  # its ink starts far into its box
    for seed in range(40):  # every join, among them "apart", which once put the wide digit left of the canvas
        joined = compose([narrow, wide], np.random.default_rng(seed))
        assert joined.sum() >= wide.sum() and joined.shape[1] >= 48


def test_characters_part_halfway_between_their_frames_in_the_glyphs_columns():
    from digitocr.reading.recognise import string_cuts, with_rest
    from digitocr.strings import StringReading

    ink = np.zeros((40, 100), np.float32)
    ink[:, 10:90] = 1.0  # 80 columns of ink -> 40 in the strip, from strip column 4
    reading = StringReading("12", [(2, 5), (10, 13)], np.zeros((2, 10), np.float32), 1.0)
    # frames 2-5 and 10-13 centre on strip columns 8 and 24: halfway is 16, 12 into the ink, 24 glyph columns
    assert string_cuts(reading, ink) == [10 + 24]
    probs = with_rest(np.array([0, 0, 0, 0.8, 0, 0.1, 0, 0, 0, 0], np.float32), np.full(10, 0.06, np.float32))
    assert probs.argmax() == 3 and probs.sum() == pytest.approx(0.6)  # the classifier's 40% for "not a digit"


def test_the_classifier_finds_the_string_reader_unless_told_not_to(monkeypatch, tmp_path):
    from digitocr.classifier import Classifier
    from digitocr.errors import DataError

    assert Classifier().strings is not None  # shipped beside the classifier
    monkeypatch.setenv("DIGITOCR_STRINGS", "none")
    assert Classifier().strings is None
    monkeypatch.setenv("DIGITOCR_STRINGS", str(tmp_path / "missing.onnx"))
    with pytest.raises(DataError, match="missing.onnx.*no such string model file"):
        _ = Classifier().strings


def test_cli_trains_and_ships_a_string_reader_with_its_card(tmp_path, mnist_dir, capsys):
    from digitocr.cli import main
    from digitocr.training.strings_card import ship_strings

    run = tmp_path / "run"
    assert main(["train", "--arch", "strings", "--epochs", "1", "--strings", "150", "--limit", "800",
                 "--val-size", "100", "--data", str(mnist_dir), "--out", str(run), "--quiet",
                 "--params", '{"european_p": 0.5}']) == 0
    assert "best validation string accuracy" in capsys.readouterr().out
    config = json.loads((run / "config.json").read_text())
    assert config["european_p"] == 0.5 and config["model_params"] is None
    shipped = ship_strings(run, tmp_path / "assets", data_dir=mnist_dir, test_strings=100)
    meta = json.loads(shipped.with_suffix(".json").read_text())
    assert meta["test"]["strings"] == 100 and sum(v["strings"] for v in meta["test"]["by_length"].values()) == 100
    assert meta["command"].startswith("digitocr train --arch strings --epochs 1 --seed 0 --data ")
    assert "--strings 150" in meta["command"] and "--limit 800" in meta["command"]
    assert meta["command"].endswith("""--params '{"european_p": 0.5}'""")
    assert meta["test"]["european_p"] == 0.0 and meta["test_european"]["european_p"] == 1.0
    with_1_or_7 = meta["test_european"]["with_1_or_7"]
    assert 0 < with_1_or_7["strings"] < 100 and meta["test"]["with_1_or_7"]["strings"] > 0
    card = shipped.with_suffix(".md").read_text()
    assert meta["command"] in card and meta["data"]["checksums"] and "MNIST **test** digits" in card
    assert "50% of the strings' 1s given a flag and of their 7s a bar across" in card
    assert f"{100 * with_1_or_7['accuracy']:.2f}% of the {with_1_or_7['strings']:,} with a 1 or a 7" in card


def test_a_bad_string_model_is_one_line_and_exit_2_before_any_file(monkeypatch, tmp_path, capsys):
    from digitocr.cli import main

    monkeypatch.setenv("DIGITOCR_STRINGS", str(tmp_path / "nope.onnx"))
    page = "src/digitocr/assets/examples/page.png"
    assert main(["read", page, page]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"digitocr: error: {tmp_path / 'nope.onnx'}: no such string model file (train one with "
                   "'digitocr train --arch strings')"]


def test_the_strings_benchmark_reads_validation_strings_as_trained_and_european(mnist_dir, tmp_path, capsys):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "bench_strings", Path(__file__).resolve().parents[1] / "benchmarks" / "strings.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    out = tmp_path / "strings.json"
    assert bench.main(["--data", str(mnist_dir), "--count", "60", "--seed", "3", "--json", str(out)]) == 0
    (model, figures), = json.loads(out.read_text()).items()
    assert model.endswith("digit_strings.onnx") and list(figures) == ["as trained", "European 1s and 7s"]
    plain, european = figures["as trained"], figures["European 1s and 7s"]
    assert plain["strings"] == european["strings"] == 60 and (plain["seed"], european["european_p"]) == (3, 1.0)
    assert 0 < european["with_1_or_7"]["strings"] < 60
    printed = capsys.readouterr().out
    assert "60 strings of the 5,000 validation digits (seed 3), read exactly:" in printed
    assert f"{100 * european['accuracy']:6.2f}%   with a 1 or a 7 {100 * european['with_1_or_7']['accuracy']:6.2f}%" \
        in printed


def test_strings_made_by_workers_are_the_same_for_any_number_of_them(mnist_dir):
    from digitocr.training.strings import StringsConfig, epoch_strings

    images, labels = load_split("train", mnist_dir)
    images, labels = images[:500], labels[:500]

    def made(workers: int) -> list[tuple[list[str], list[bytes]]]:
        config = StringsConfig(epochs=2, strings_per_epoch=40, seed=3, workers=workers, signs_p=0.2)
        return [(texts, [s.tobytes() for s in strips]) for strips, texts, _ in epoch_strings(config, images, labels)]

    two, three, one_stream = made(2), made(3), made(0)
    assert two == three and len(two) == 2 and len(two[0][0]) == 40
    assert two[0] != two[1]  # each epoch its own strings
    # without workers, one stream seeded by (seed, epoch), as the shipped string reader was trained
    strips, texts = make_strings(images, labels, 40, np.random.default_rng([3, 1]), 0.0, 0.2)
    assert one_stream[0] == (texts, [s.tobytes() for s in strips]) != two[0]


def test_a_run_with_workers_says_so_in_its_command(tmp_path, mnist_dir, capsys):
    from digitocr.cli import main
    from digitocr.training.strings_card import strings_command

    run = tmp_path / "run"
    assert main(["train", "--arch", "strings", "--epochs", "1", "--strings", "64", "--limit", "600", "--val-size",
                 "100", "--data", str(mnist_dir), "--out", str(run), "--quiet", "--workers", "2"]) == 0
    config = json.loads((run / "config.json").read_text())
    assert config["workers"] == 2
    assert "--workers 2" in strings_command(config, run)
    assert json.loads((run / "metrics.json").read_text())["trained_on"]["device"] == "cpu"
    capsys.readouterr()
    assert main(["train", "--arch", "strings", "--data", str(mnist_dir), "--out", str(tmp_path / "no"), "--workers",
                 "-1"]) == 2
    assert capsys.readouterr().err.strip() == "digitocr: error: --workers -1: give 0 or more processes"


def test_the_string_card_names_the_signs_it_was_trained_with():
    from pathlib import Path

    from digitocr.training.strings_card import render_strings_card

    assets = Path(__file__).resolve().parents[1] / "src/digitocr/assets"
    meta = json.loads((assets / "digit_strings.json").read_text())  # the shipped string reader's
    assert "10% of the strings with a sign joined in front" in render_strings_card(meta, [])
    meta["config"]["signs_p"] = 0.0
    assert "sign joined" not in render_strings_card(meta, [])
