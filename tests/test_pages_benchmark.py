"""benchmarks/pages.py: the scorer's arithmetic, and pages whose truth boxes hold handwriting."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitocr.classifier import Classifier

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def pages():
    spec = importlib.util.spec_from_file_location("bench_pages", ROOT / "benchmarks" / "pages.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_pages"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def test_score_counts_exact_wrong_missed_and_spurious(pages):
    F = pages.Found
    truth = [F("12.50", (100, 100, 300, 160)), F("2026", (100, 300, 260, 360)), F("7", (500, 500, 530, 560))]
    preds = [F("12.50", (98, 102, 301, 158)),  # exact
             F("2028", (104, 296, 250, 366)),  # one digit wrong
             F("99", (900, 900, 960, 950))]  # spurious; the "7" is missed
    s = pages.score_page(preds, truth)
    assert (s.tp, s.predicted, s.truth) == (1, 3, 3)
    assert s.precision == pytest.approx(1 / 3)
    assert s.recall == pytest.approx(1 / 3)
    assert s.f1 == pytest.approx(1 / 3)
    # edits: 0 (exact) + 1 (8 for 6) + 1 (the missed 7) + 2 (the spurious 99); truth has 5 + 4 + 1 characters
    assert (s.edits, s.chars) == (4, 10)
    assert s.cer == pytest.approx(0.4)


def test_matching_is_one_to_one_and_accepts_a_centre_inside(pages):
    F = pages.Found
    truth = [F("1000", (0, 0, 400, 100))]
    small = F("10", (20, 20, 120, 90))  # IoU about 0.17, but its centre lies inside the truth's box
    assert pages.match([small], truth) == [(0, 0)]
    twice = [F("1000", (0, 0, 400, 100)), F("1000", (5, 0, 400, 100))]
    s = pages.score_page(twice, truth)
    assert (s.tp, s.predicted, s.edits) == (1, 2, 4)  # the second is spurious
    assert pages.match([F("5", (600, 0, 700, 100))], truth) == []
    empty = pages.score_page([], [])
    assert (empty.precision, empty.recall, empty.f1, empty.cer) == (1.0, 1.0, 1.0, None)  # nothing to read


def test_edit_distance(pages):
    assert pages.edit_distance("24/07/2026", "24/07/2026") == 0
    assert pages.edit_distance("1,000.-", "1000") == 3
    assert pages.edit_distance("", "123") == 3


def test_make_writes_png_jpg_pdf_with_truth_around_ink(pages, mnist_dir, tmp_path):
    assert pages.main(["make", "--out", str(tmp_path), "--count", "3", "--seed", "1", "--data", str(mnist_dir)]) == 0
    truths = [json.loads(p.read_text()) for p in sorted(tmp_path.glob("page_*.json"))]
    assert sorted(Path(t["file"]).suffix for t in truths) == [".jpg", ".pdf", ".png"]
    for t in truths:
        path = tmp_path / t["file"]
        if path.suffix == ".pdf":
            import pypdfium2 as pdfium

            pdf = pdfium.PdfDocument(str(path))
            image = pdf[0].render(scale=t["dpi"] / 72).to_pil()
            pdf.close()
        else:
            image = Image.open(path)
        grey = np.asarray(image.convert("L"))
        assert abs(grey.shape[1] - t["width"]) <= 1 and abs(grey.shape[0] - t["height"]) <= 1
        assert len(t["numbers"]) >= 5
        for n in t["numbers"]:
            x0, y0, x1, y1 = n["bbox"]
            assert 0 <= x0 < x1 <= t["width"] and 0 <= y0 < y1 <= t["height"]
            box = grey[y0:y1, x0:x1]
            assert box.min() < 100, n  # dark ink inside
            # tight: ink reaches every side of the box (within 3 px)
            ink = box < 160
            assert ink[:4].any() and ink[-4:].any() and ink[:, :4].any() and ink[:, -4:].any(), n
            assert set(n["text"]) <= set("0123456789./,-") and n["text"][0].isdigit()
    again = tmp_path / "again"
    pages.main(["make", "--out", str(again), "--count", "1", "--seed", "1", "--data", str(mnist_dir)])
    assert (again / "page_001.json").read_text() == (tmp_path / "page_001.json").read_text()  # deterministic


def test_tuning_pages_draw_the_classifier_s_validation_digits_and_say_so(pages, mnist_dir, tmp_path, capsys):
    from digitocr.data.mnist import load_split, split_validation

    digits = pages.Digits.load(str(mnist_dir), 4)
    train, labels = load_split("train", str(mnist_dir))
    _, val = split_validation(len(train), 5000, 4)
    assert np.array_equal(digits.images, train[val]) and digits.source == "validation, split seed 4"
    assert all(set(labels[val][digits.by_label[d]]) == {d} for d in range(10))
    test = pages.Digits.load(str(mnist_dir))
    assert test.source == "test" and len(test.images) == 10000
    out = tmp_path / "tune"
    assert pages.main(["make", "--out", str(out), "--count", "1", "--seed", "1", "--data", str(mnist_dir),
                       "--digits", "val", "--split-seed", "4"]) == 0
    assert "(MNIST digits: validation, split seed 4)" in capsys.readouterr().out
    truth = json.loads((out / "page_001.json").read_text())
    assert truth["digits"] == "validation, split seed 4"
    pages.main(["make", "--out", str(tmp_path / "bench"), "--count", "1", "--seed", "1", "--data", str(mnist_dir)])
    bench = json.loads((tmp_path / "bench" / "page_001.json").read_text())
    assert bench["digits"] == "test"
    # the same layout and numbers, other digits drawing them
    assert [n["text"] for n in truth["numbers"]] == [n["text"] for n in bench["numbers"]]
    assert (out / "page_001.png").read_bytes() != (tmp_path / "bench" / "page_001.png").read_bytes()
    # scored, tuning pages say what they are and are not held to the benchmark's targets
    capsys.readouterr()
    assert pages.main(["score", "--pages", str(out), "--engine", "digitocr", "--json", str(tmp_path / "s.json")]) == 0
    printed = capsys.readouterr().out
    assert "handwriting of MNIST digits: validation, split seed 4" in printed and "targets:" not in printed
    assert json.loads((tmp_path / "s.json").read_text())["digits"] == "validation, split seed 4"


def test_fade_writes_the_page_as_faded_ink_on_yellowed_paper_the_same_size(pages, tmp_path):
    page = np.full((120, 200), 255, np.uint8)
    page[40:80, 50:150] = 0  # black ink
    Image.fromarray(page).save(tmp_path / "p.png", dpi=(300, 300))
    faded = pages.fade(tmp_path / "p.png", 0.3, 0, tmp_path)
    assert faded == tmp_path / "p_faded.jpg"
    with Image.open(faded) as im:
        assert im.format == "JPEG" and im.size == (200, 120) and round(im.info["dpi"][0]) == 300
        rgb = np.asarray(im.convert("RGB"), np.float32)
    paper, ink = rgb[5:30, 5:40].mean(axis=(0, 1)), rgb[50:70, 70:130].mean(axis=(0, 1))
    assert np.allclose(paper, [242, 224, 178], atol=4)  # white gone yellow
    assert np.allclose(ink, 0.7 * paper, atol=5)  # black at 30% of its contrast


def test_cut_number_scales_the_number_to_its_height_and_keeps_the_margin_off_it(pages):
    page = np.full((400, 600), 250, np.uint8)
    page[200:260, 250:370] = 0  # the number: 60 px tall, 120 wide
    for seed in range(12):
        crop = pages.cut_number(page, (250, 200, 370, 260), 30, None, True, np.random.default_rng(seed))
        assert crop.shape == (66, 96, 3)  # (60 + 2 * 36) / 2 tall, (120 + 2 * 36) / 2 wide
        assert (crop[18:48, 18:78] < 10).all()  # the number, whole, never under the margin
        edges = [crop[:, 0], crop[:, -1], crop[0], crop[-1]]
        assert sum(bool((e < 70).all()) for e in edges) == 1  # one side dark from end to end
    tight = pages.cut_number(page, (250, 200, 370, 260), 30, None, False, np.random.default_rng(0), pad=0.0)
    assert tight.shape == (30, 60, 3) and (tight < 10).all()
    faded = pages.cut_number(page, (250, 200, 370, 260), 30, 0.35, False, np.random.default_rng(0))
    # black ink at 35% of its contrast: 0.65 * 255 in blue, times 0.70 for the yellowing; the paper 0.95 * 253 in red
    assert 106 < faded[30, 50, 2] < 126 and 230 < faded[2, 2, 0] < 250


def test_cut_number_with_a_sign_draws_it_before_the_number_in_the_number_s_ink_and_never_under_the_margin(pages):
    page = np.full((400, 600), 250, np.uint8)
    page[200:260, 250:370] = 0  # the number
    for seed in range(12):
        plain = pages.cut_number(page, (250, 200, 370, 260), 30, None, False, np.random.default_rng(seed))
        signed = pages.cut_number(page, (250, 200, 370, 260), 30, None, False, np.random.default_rng(seed),
                                  sign=True)
        added = signed.shape[1] - plain.shape[1]
        assert signed.shape[0] == plain.shape[0] and added > 9
        assert np.array_equal(signed[:, added:], plain)  # the crop itself untouched, to the right of the sign
        sign = signed[:, :added].min(axis=2)
        assert sign.min() < 40 and (sign[:, 0] > 240).all()  # drawn in the number's ink, paper before it
        margined = pages.cut_number(page, (250, 200, 370, 260), 30, None, True, np.random.default_rng(seed),
                                    sign=True)
        assert (margined[18:48, -78:-18] < 10).all()  # the number, whole, never under the margin
        ink = margined[:, : margined.shape[1] - 96].min(axis=2) < 40
        rows = np.flatnonzero(ink.mean(axis=1) < 0.9)  # not the rows of a margin along the top or bottom
        assert ink[rows][:, ~ink[rows].all(axis=0)].any()  # nor the sign: ink where no margin runs


def test_cut_number_with_a_label_prints_a_word_before_or_over_the_number_and_the_margin_spares_both(pages):
    page = np.full((400, 600), 250, np.uint8)
    page[200:260, 250:370] = 0  # the number
    sides = set()
    for seed in range(12):
        plain = pages.cut_number(page, (250, 200, 370, 260), 30, None, False, np.random.default_rng(seed))
        labelled = pages.cut_number(page, (250, 200, 370, 260), 30, None, False, np.random.default_rng(seed),
                                    label=True)
        wide, tall = labelled.shape[1] - plain.shape[1], labelled.shape[0] - plain.shape[0]
        assert (wide > 0) != (tall > 0)  # a word before the number, or a heading over it
        sides.add("before" if wide else "over")
        added = labelled[:, :wide] if wide else labelled[:tall]
        assert np.array_equal(labelled[:, wide:] if wide else labelled[tall:], plain)  # the crop itself untouched
        assert added.min() < 60  # printed ink
        assert not wide or (added[:, 0] > 240).all()  # paper before the word
        margined = pages.cut_number(page, (250, 200, 370, 260), 30, None, True, np.random.default_rng(seed),
                                    label=True)
        assert (margined[18 + tall : 48 + tall, 18 + wide : 78 + wide] < 10).all()  # the number never under it
        word = margined[:, :wide] if wide else margined[:tall]
        assert (word.min(axis=2) < 60).any() and (word.min(axis=2) > 240).any()  # nor the word: ink and paper
    assert sides == {"before", "over"}


def test_cut_number_with_rules_draws_lines_across_the_crop_under_and_over_the_number(pages):
    page = np.full((400, 600), 250, np.uint8)
    page[200:260, 250:370] = 0  # the number: rows 18 to 48 of the crop
    for seed in range(12):
        plain = pages.cut_number(page, (250, 200, 370, 260), 30, None, False, np.random.default_rng(seed))
        ruled = pages.cut_number(page, (250, 200, 370, 260), 30, None, False, np.random.default_rng(seed),
                                 rules=True)
        assert ruled.shape == plain.shape
        across = np.flatnonzero(ruled.max(axis=(1, 2)) < 180)  # rows dark from edge to edge: the rules
        assert any(45 <= r <= 58 for r in across)  # the line it is written on, at its foot or a little below
        assert all(r < 18 or r >= 45 for r in across)  # none through the number's middle
        assert (ruled[20:46, 18:78] < 10).all()  # the number itself untouched


def test_crops_reads_numbers_cut_out_of_the_pages_faded_beside_a_margin(pages, mnist_dir, tmp_path, capsys):
    assert pages.main(["make", "--out", str(tmp_path), "--count", "2", "--seed", "1", "--data", str(mnist_dir)]) == 0
    expected = sum(len(json.loads(p.read_text())["numbers"][::5]) for p in tmp_path.glob("page_*.json"))
    out = tmp_path / "crops.json"
    assert pages.main(["crops", "--pages", str(tmp_path), "--every", "5", "--fade", "0.4", "--margin",
                       "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert figures["numbers"] == expected >= 8
    assert figures["exact"]["digitocr"] >= 0.75 * expected  # faded ink beside a margin, read (the reader before: none)
    # every misreading, to look into: as many as the crops not read exactly, each its truth and what was read
    assert len(figures["misread"]) == expected - figures["exact"]["digitocr"]
    assert all(m["truth"] != m["read"] for m in figures["misread"])
    assert f"{expected} numbers cut out of {tmp_path} (every 5)" in capsys.readouterr().out


def test_digits_draws_held_out_digits_on_pages_and_counts_what_the_reader_makes_of_them(pages, mnist_dir, tmp_path,
                                                                                          capsys):
    out = tmp_path / "digits.json"
    assert pages.main(["digits", "--count", "40", "--data", str(mnist_dir), "--json", str(out)]) == 0
    figures = json.loads(out.read_text())
    assert figures["digits"] == 40 and figures["page_read"] + figures["page_unread"] == 40
    assert figures["page_read"] >= 36 and figures["page_wrong"] <= 2  # the shipped classifier, lone clear digits
    assert figures["drawn_wrong"] <= 2
    assert sum(figures["pairs"].values()) == figures["page_wrong"]
    printed = capsys.readouterr().out
    # the shipped classifier's own validation split, drawn with its run's seed (its metadata says)
    split_seed = Classifier().metadata["seed"]
    assert f"40 validation digits (seed 0, split seed {split_seed})" in printed
    assert f"drawn, put into MNIST's form, classified: {figures['drawn_wrong']} wrong" in printed
    assert figures["split_seed"] == split_seed


def test_digits_takes_the_split_seed_of_a_run_that_was_not_shipped(pages, mnist_dir, tmp_path, capsys):
    out = tmp_path / "digits.json"
    assert pages.main(["digits", "--count", "10", "--data", str(mnist_dir), "--split-seed", "1", "--json",
                       str(out)]) == 0
    assert "10 validation digits (seed 0, split seed 1)" in capsys.readouterr().out
    assert json.loads(out.read_text())["split_seed"] == 1


def test_page_ab_reads_one_page_in_turns_with_the_base_commit_and_cleans_up(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location("page_ab", ROOT / "benchmarks" / "page_ab.py")
    page_ab = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(page_ab)
    page = tmp_path / "page.png"
    Image.fromarray(np.full((120, 200), 250, np.uint8)).save(page)
    worktrees = subprocess.run(["git", "-C", str(ROOT), "worktree", "list"], capture_output=True, text=True).stdout
    assert page_ab.main(["--base", "HEAD", "--page", str(page), "--pairs", "3"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"3 pairs of reads of {page}"
    assert out[1].split()[:2] == ["HEAD", "median"] and out[2].split()[:3] == ["working", "tree", "median"]
    assert 0.0 < float(out[3].rsplit(" ", 1)[1]) < 100.0
    assert subprocess.run(["git", "-C", str(ROOT), "worktree", "list"], capture_output=True,
                          text=True).stdout == worktrees  # the base's worktree is gone again


def test_average_models_writes_one_model_whose_probabilities_are_the_mean(tmp_path):
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    spec = importlib.util.spec_from_file_location("average_models", ROOT / "benchmarks" / "average_models.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(784, 11)).astype(np.float32) for _ in range(2)]
    paths = []
    for k, w in enumerate(weights):  # two stand-ins for classifiers: softmax(flattened image @ w)
        graph = helper.make_graph(
            [helper.make_node("Flatten", ["image"], ["flat"]), helper.make_node("MatMul", ["flat", "w"], ["logits"]),
             helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1)],
            f"model{k}", [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["batch", 1, 28, 28])],
            [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["batch", 11])],
            [numpy_helper.from_array(w, "w")])
        paths.append(tmp_path / f"model{k}.onnx")
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
        model.ir_version = 8  # what ONNX Runtime reads, whatever the onnx package writes by default
        onnx.save(model, str(paths[-1]))
    paths[0].with_suffix(".json").write_text(json.dumps({"output": {"classes": [str(d) for d in range(10)]
                                                                    + ["not a digit"]}}))
    out = tmp_path / "mean.onnx"
    assert module.main([str(out), *map(str, paths)]) == 0
    x = rng.random((3, 28, 28)).astype(np.float32)
    expected = np.mean([Classifier(p).predict(x) for p in paths], axis=0)
    assert np.allclose(Classifier(out).predict(x), expected, atol=1e-6)
    meta = json.loads(out.with_suffix(".json").read_text())
    assert meta["name"] == "mean" and meta["averaged"] == [str(p) for p in paths]
    assert meta["output"]["classes"][-1] == "not a digit"
