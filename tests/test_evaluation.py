"""The evaluation package and the two CLI commands that use ONNX Runtime: evaluate and classify."""

from __future__ import annotations

import csv
import hashlib
import json
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from digitocr.cli import main
from digitocr.evaluation.metrics import compute_metrics, expected_calibration_error, negative_log_likelihood
from digitocr.evaluation.run import evaluate, write_report

FILES = ["metrics.json", "classification_report.txt", "confusion_matrix.csv", "confusion_matrix.png",
         "misclassified.csv", "misclassified.png", "samples.png"]
REPORT_HEADER = "precision    recall  f1-score   support"


def probs_for(pred: list[int], conf: list[float]) -> np.ndarray:
    """Probabilities whose top digit is pred[i] with probability conf[i], the rest shared evenly."""
    p = np.repeat(((1 - np.array(conf)) / 9)[:, None], 10, axis=1)
    p[np.arange(len(pred)), pred] = conf
    return p


@pytest.fixture(scope="module")
def mnist_test(mnist_dir):
    from digitocr.data.sources import load_dataset

    data = load_dataset(data=str(mnist_dir), split="test")
    return data.images[:500], data.labels[:500]


@pytest.fixture(scope="module")
def evaluated(tiny_model, mnist_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("eval")
    return evaluate(model=tiny_model, data=str(mnist_dir), out_dir=out, limit=500), out


def read_confusion(path: Path) -> np.ndarray:
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0][1:] == [str(d) for d in range(10)]
    assert [r[0] for r in rows[1:]] == [str(d) for d in range(10)]
    return np.array([[int(v) for v in r[1:]] for r in rows[1:]])


# --- metrics -------------------------------------------------------------------------------------------------------

def test_metrics_match_a_hand_computed_case():
    y = [0, 0, 0, 1, 1, 1, 2, 2, 2, 2]
    pred = [0, 0, 1, 1, 1, 2, 2, 2, 2, 2]  # wrong: image 2 (0 read as 1) and image 5 (1 read as 2)
    conf = [0.8, 0.8, 0.6, 0.8, 0.8, 0.9, 0.8, 0.8, 0.8, 0.8]
    m = compute_metrics(np.array(y), probs_for(pred, conf))

    assert (m.accuracy, m.images, m.errors) == (0.8, 10, 2)
    expected = np.zeros((10, 10), int)
    expected[:3, :3] = [[2, 1, 0], [0, 2, 1], [0, 0, 4]]
    assert np.array_equal(m.confusion, expected)
    two = m.per_class[2]  # predicted 2 five times, four of them right; all four true 2s found
    assert (two.precision, two.recall, two.support) == (0.8, 1.0, 4)
    assert two.f1 == pytest.approx(2 * 0.8 * 1.0 / 1.8)
    zero = m.per_class[0]
    assert (zero.precision, zero.recall, zero.support) == (1.0, pytest.approx(2 / 3), 3)
    assert m.per_class[7].support == 0 and m.per_class[7].precision == 0.0
    # Most confident mistake first.
    assert [(k.index, k.true, k.predicted, k.confidence) for k in m.mistakes] == [(5, 1, 2, 0.9), (2, 0, 1, 0.6)]
    assert REPORT_HEADER in m.report
    assert re.search(r"^ +2 +0\.8000 +1\.0000 +0\.8889 +4$", m.report, re.M)
    assert re.search(r"^ +accuracy +0\.8000 +10$", m.report, re.M)
    # Eight right at 0.8; the two wrong ones left (1 - 0.6) / 9 and (1 - 0.9) / 9 to their true digit.
    assert m.nll == pytest.approx(-(8 * math.log(0.8) + math.log(0.4 / 9) + math.log(0.1 / 9)) / 10)


def test_expected_calibration_error_on_a_constructed_case():
    # 4 images at confidence 0.9, 2 right: gap 0.4, weight 0.4.
    # 6 images at confidence 0.55, 5 right: gap 0.2833, weight 0.6.  ECE = 0.16 + 0.17 = 0.33.
    y = np.zeros(10, int)
    pred = [0, 0, 1, 1] + [0] * 5 + [1]
    p = probs_for(pred, [0.9] * 4 + [0.55] * 6)
    assert expected_calibration_error(y, p) == pytest.approx(0.33)
    # One bin pools them: accuracy 0.7 against mean confidence 0.69.
    assert expected_calibration_error(y, p, bins=1) == pytest.approx(0.01)
    # Calibrated: 10 at 0.7 with 7 right, 10 at 0.9 with 9 right.
    y2 = np.zeros(20, int)
    pred2 = [0] * 7 + [1] * 3 + [0] * 9 + [1]
    assert expected_calibration_error(y2, probs_for(pred2, [0.7] * 10 + [0.9] * 10)) == pytest.approx(0.0)


def test_metrics_reject_labels_that_are_not_digits():
    with pytest.raises(ValueError, match="0..9"):
        negative_log_likelihood(np.array([0, 10]), probs_for([0, 1], [0.9, 0.9]))


# --- evaluate() ----------------------------------------------------------------------------------------------------

def test_evaluate_writes_every_file_consistently(evaluated, tiny_model, mnist_test):
    metrics, out = evaluated
    for name in FILES:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    saved = json.loads((out / "metrics.json").read_text())
    assert saved == metrics
    cm = read_confusion(out / "confusion_matrix.csv")
    assert cm.sum() == saved["images"] == 500
    assert saved["accuracy"] == np.trace(cm) / cm.sum()
    assert saved["errors"] == cm.sum() - np.trace(cm)
    assert 0.5 < saved["accuracy"] < 1.0  # a weak model, but a model
    _, labels = mnist_test
    assert np.array_equal(cm.sum(axis=1), np.bincount(labels, minlength=10))
    assert [saved["per_class"][str(d)]["support"] for d in range(10)] == cm.sum(axis=1).tolist()
    assert saved["per_class"]["3"]["recall"] == pytest.approx(cm[3, 3] / cm[3].sum())
    assert saved["model"]["sha256"] == hashlib.sha256(tiny_model.read_bytes()).hexdigest()
    assert saved["data"].startswith("MNIST test")
    assert 0 < saved["nll"] < 3 and 0 <= saved["ece"] < 0.5
    report = (out / "classification_report.txt").read_text()
    assert REPORT_HEADER in report and re.search(rf"accuracy +{saved['accuracy']:.4f} +500", report)
    with open(out / "misclassified.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == saved["errors"]
    assert [float(r["confidence"]) for r in rows] == sorted((float(r["confidence"]) for r in rows), reverse=True)
    for name in ("confusion_matrix.png", "misclassified.png", "samples.png"):
        with Image.open(out / name) as im:
            assert im.format == "PNG" and min(im.size) > 300, name


def test_a_perfect_score_is_reported_without_mistakes(mnist_test, tmp_path):
    images, labels = mnist_test
    metrics = write_report(images[:30], labels[:30], np.eye(10)[labels[:30]], tmp_path)
    assert (metrics["accuracy"], metrics["errors"], metrics["ece"]) == (1.0, 0, 0.0)
    assert metrics["nll"] == pytest.approx(0.0, abs=1e-9)
    assert (tmp_path / "misclassified.csv").read_text().strip() == "index,true,predicted,confidence"
    with Image.open(tmp_path / "misclassified.png") as im:
        assert im.format == "PNG"


def test_evaluate_refuses_a_limit_below_one(tiny_model, mnist_dir, tmp_path):
    from digitocr.errors import DigitocrError

    with pytest.raises(DigitocrError, match="--limit"):
        evaluate(model=tiny_model, data=str(mnist_dir), out_dir=tmp_path, limit=0)


# --- digitocr evaluate ---------------------------------------------------------------------------------------------

def test_cli_evaluate_prints_the_accuracy(tiny_model, mnist_dir, tmp_path, capsys):
    out = tmp_path / "eval"
    rc = main(["evaluate", "--model", str(tiny_model), "--data", str(mnist_dir), "--out", str(out), "--limit", "200"])
    printed = capsys.readouterr().out
    assert rc == 0
    match = re.fullmatch(r"accuracy (\d+\.\d\d)% on 200 images \((\d+) wrong\); reports in (.+)\n", printed)
    assert match, printed
    saved = json.loads((out / "metrics.json").read_text())
    assert float(match[1]) == round(100 * saved["accuracy"], 2)
    assert int(match[2]) == saved["errors"] and match[3] == str(out)


def test_cli_evaluate_with_a_missing_model_names_it(mnist_dir, tmp_path, capsys):
    missing = tmp_path / "no_such_model.onnx"
    rc = main(["evaluate", "--model", str(missing), "--data", str(mnist_dir), "--out", str(tmp_path / "eval")])
    err = capsys.readouterr().err
    assert rc == 2
    assert len(err.strip().splitlines()) == 1 and str(missing) in err
    assert not (tmp_path / "eval").exists()


# --- digitocr classify ---------------------------------------------------------------------------------------------

def write_digit_png(ink: np.ndarray, path: Path) -> Path:
    """An MNIST digit as a user would draw it: dark on light, 3x larger, with a white border."""
    paper = np.kron(255 - ink, np.ones((3, 3), np.uint8))
    Image.fromarray(np.pad(paper, 20, constant_values=255)).save(path)
    return path


@pytest.fixture(scope="module")
def sure_digit(tiny_model, mnist_test, tmp_path_factory):
    """The test digit among the first 500 that the tiny model is surest of (and right about), as a PNG."""
    from digitocr.classifier import Classifier

    images, labels = mnist_test
    probs = Classifier(tiny_model).predict(images / 255.0)
    conf = np.where(probs.argmax(1) == labels, probs.max(1), 0)
    best = int(conf.argmax())
    return write_digit_png(images[best], tmp_path_factory.mktemp("digit") / "digit.png"), int(labels[best])


def test_cli_classify_reads_a_png(tiny_model, sure_digit, capsys):
    png, label = sure_digit
    assert main(["classify", str(png), "--model", str(tiny_model)]) == 0
    line = capsys.readouterr().out
    match = re.fullmatch(rf"{re.escape(str(png))}\t(\d)\t(\d\.\d{{3}})\t\(next: (\d) (\d\.\d{{3}})\)\n", line)
    assert match, line
    assert int(match[1]) == label and match[3] != match[1]
    assert float(match[2]) >= float(match[4])


def test_cli_classify_json_gives_ten_probabilities(tiny_model, sure_digit, capsys):
    png, label = sure_digit
    assert main(["classify", str(png), "--model", str(tiny_model), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["file"] == str(png) and record["digit"] == label
    assert len(record["probabilities"]) == 10 and sum(record["probabilities"]) == pytest.approx(1.0, abs=2e-3)
    assert record["confidence"] == max(record["probabilities"])
    assert record["digit"] == int(np.argmax(record["probabilities"]))


def test_cli_classify_names_a_file_that_is_not_an_image_and_goes_on(tiny_model, sure_digit, tmp_path, capsys):
    png, _ = sure_digit
    fake = tmp_path / "fake.png"
    fake.write_text("not a picture\n")
    rc = main(["classify", str(fake), str(png), "--model", str(tiny_model)])
    captured = capsys.readouterr()
    assert rc == 2
    assert len(captured.err.strip().splitlines()) == 1 and str(fake) in captured.err
    assert captured.out.startswith(f"{png}\t") and len(captured.out.splitlines()) == 1


# --- other sources -------------------------------------------------------------------------------------------------

def test_evaluate_on_a_labelled_kaggle_csv(tiny_model, mnist_dir, mnist_test, tmp_path):
    pytest.importorskip("digitocr.data.kaggle")
    images, labels = mnist_test
    path = tmp_path / "train.csv"
    header = ["label", *(f"pixel{i}" for i in range(784))]
    rows = np.column_stack([labels[:100], images[:100].reshape(100, -1)])
    np.savetxt(path, rows, fmt="%d", delimiter=",", header=",".join(header), comments="")
    from_csv = evaluate(model=tiny_model, csv=str(path), out_dir=tmp_path / "csv")
    from_idx = evaluate(model=tiny_model, data=str(mnist_dir), out_dir=tmp_path / "idx", limit=100)
    assert from_csv["images"] == 100 and from_csv["data"].startswith("Kaggle CSV")
    # The same pixels, so the same predictions.
    assert (from_csv["accuracy"], from_csv["per_class"]) == (from_idx["accuracy"], from_idx["per_class"])


def test_evaluate_on_an_image_folder(tiny_model, mnist_test, tmp_path):
    pytest.importorskip("digitocr.data.folders")
    images, labels = mnist_test
    for i in range(60):
        (tmp_path / "digits" / str(labels[i])).mkdir(parents=True, exist_ok=True)
        write_digit_png(images[i], tmp_path / "digits" / str(labels[i]) / f"{i}.png")
    metrics = evaluate(model=tiny_model, images=str(tmp_path / "digits"), out_dir=tmp_path / "eval")
    assert metrics["images"] == 60 and metrics["data"].startswith("image folder")
    supports = [metrics["per_class"][str(d)]["support"] for d in range(10)]
    assert supports == np.bincount(labels[:60], minlength=10).tolist()
    assert metrics["accuracy"] > 0.5


# --- the reading path stays free of torch --------------------------------------------------------------------------

def test_classify_and_evaluate_never_import_torch(tiny_model, mnist_dir, tmp_path):
    code = (
        "import sys, digitocr.cli, digitocr.classifier, digitocr.evaluation.run\n"
        "assert 'torch' not in sys.modules, 'torch imported by the modules'\n"
        f"digitocr.evaluation.run.evaluate(model={str(tiny_model)!r}, data={str(mnist_dir)!r}, "
        f"out_dir={str(tmp_path)!r}, limit=50)\n"
        "assert 'torch' not in sys.modules, 'torch imported by evaluate()'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "metrics.json").is_file()


def test_output_cut_short_by_a_pipe_is_not_an_error():
    import subprocess
    import sys
    from pathlib import Path

    examples = sorted((Path(__file__).parents[1] / "src/digitocr/assets/examples/digits_by_label").glob("*/*.png"))
    cmd = f"{sys.executable} -m digitocr.cli classify {' '.join(map(str, examples))} | head -1"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", cmd], capture_output=True, text=True, timeout=60)
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
