"""Where a user classifies one digit, the "not a digit" share is reported: Classifier, digitocr.classify(), and
`digitocr classify` (the HTTP API's answers are in test_serving_api.py). A model of ten outputs reports 0.0; the
shipped model has the eleventh output, so by default the share is what its ten probabilities leave."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import digitocr
from digitocr.classifier import Classifier
from digitocr.cli import main

ASSETS = Path(digitocr.__file__).parent / "assets"
DIGITS = ASSETS / "examples" / "digits_by_label"
SEVEN = sorted((DIGITS / "7").glob("*.png"))[0]
TEN_DIGITS = [str(d) for d in range(10)]
# Fixed probabilities of the ten digits that leave 0.8 to "not a digit"; the best digit is 4, at 0.05.
MOSTLY_NOT_A_DIGIT = [0.01, 0.02, 0.02, 0.03, 0.05, 0.02, 0.01, 0.02, 0.01, 0.01]
# ... and ones that leave 0.1: the best digit, 7 at 0.6, is likelier.
MOSTLY_A_SEVEN = [0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.03, 0.6, 0.05, 0.01]


@pytest.fixture(scope="module")
def eleven(not_a_digit_model) -> Classifier:
    return Classifier(not_a_digit_model)


@pytest.fixture(scope="module")
def ten(tiny_model) -> Classifier:
    return Classifier(tiny_model)  # trained in this session with ten outputs (not_a_digit=0)


@pytest.fixture(scope="module")
def shipped() -> Classifier:
    return Classifier(ASSETS / "digit_classifier.onnx")  # the shipped model: eleven outputs


@pytest.fixture(autouse=True)
def shipped_model_by_default(monkeypatch):
    monkeypatch.delenv("DIGITOCR_MODEL", raising=False)


def fixed(probs: list[float]):
    """A stand-in for Classifier.predict that answers `probs` for every crop."""
    return lambda self, crops: np.tile(np.asarray(probs, np.float32), (len(np.asarray(crops)), 1))


# --- Classifier ------------------------------------------------------------------------------------------------------

def test_the_classes_say_whether_a_model_has_the_not_a_digit_output(eleven, ten, shipped):
    assert eleven.classes == [*TEN_DIGITS, "not a digit"] and eleven.has_not_a_digit
    assert shipped.classes == [*TEN_DIGITS, "not a digit"] and shipped.has_not_a_digit
    assert ten.classes == TEN_DIGITS and not ten.has_not_a_digit


def test_the_not_a_digit_share_is_what_the_ten_leave_and_0_without_that_output(eleven, ten, shipped):
    probs = np.asarray(MOSTLY_NOT_A_DIGIT, np.float32)
    assert eleven.not_a_digit(probs) == pytest.approx(0.8, abs=1e-6)
    assert shipped.not_a_digit(probs) == pytest.approx(0.8, abs=1e-6)
    assert eleven.not_a_digit(np.full(10, 0.1001, np.float32)) == 0.0  # never below 0 when rounding passes 1
    assert eleven.not_a_digit(np.eye(10, dtype=np.float32)[3]) == 0.0
    assert ten.not_a_digit(probs) == 0.0


def test_the_share_is_the_models_eleventh_output(eleven):
    """What `predict` leaves is exactly the probability the ONNX model gives its eleventh class."""
    crops = np.zeros((1, 1, 28, 28), np.float32)
    crops[0, 0, 6:22, 12:15] = 1.0  # a bar: a 1, or not
    raw = eleven.session.run(None, {eleven.input_name: crops})[0][0].astype(np.float64)
    if eleven.outputs_logits:
        raw = np.exp(raw - raw.max()) / np.exp(raw - raw.max()).sum()
    assert raw.shape == (11,)
    assert eleven.not_a_digit(eleven.predict(crops)[0]) == pytest.approx(raw[10], abs=1e-6)


# --- digitocr.classify() ---------------------------------------------------------------------------------------------

def test_classify_gives_not_a_digit_0_with_a_ten_output_model(ten, tiny_model):
    result = digitocr.classify(SEVEN, model=ten)
    assert list(result) == ["digit", "confidence", "probabilities", "not_a_digit"]
    assert result["digit"] == 7 and result["not_a_digit"] == 0.0
    assert sum(result["probabilities"]) == pytest.approx(1.0, abs=1e-5)  # the ten are all there is
    assert digitocr.classify(SEVEN, model=str(tiny_model)) == result  # a path loads the same model


def test_classify_by_default_gives_the_shipped_models_not_a_digit_share(shipped):
    result = digitocr.classify(SEVEN)  # the shipped model, by default: it has the eleventh output
    assert result == digitocr.classify(SEVEN, model=shipped)
    assert result["digit"] == 7 and result["confidence"] > 0.99
    assert result["not_a_digit"] == pytest.approx(1.0 - sum(result["probabilities"]), abs=1e-6)
    assert 0.0 < result["not_a_digit"] < 0.01  # a clean seven: a small share, but a share


def test_classify_gives_what_the_ten_probabilities_leave_with_an_eleven_output_model(eleven, not_a_digit_model):
    for label in (0, 4, 7):
        path = sorted((DIGITS / str(label)).glob("*.png"))[0]
        result = digitocr.classify(path, model=eleven)
        assert isinstance(result["not_a_digit"], float) and 0.0 < result["not_a_digit"] < 1.0
        assert result["not_a_digit"] == pytest.approx(1.0 - sum(result["probabilities"]), abs=1e-6)
        assert result["confidence"] == max(result["probabilities"]) == result["probabilities"][result["digit"]]
        assert digitocr.classify(path, model=str(not_a_digit_model)) == result  # a path loads the same model


def test_classify_with_fixed_probabilities(eleven, ten, monkeypatch):
    monkeypatch.setattr(Classifier, "predict", fixed(MOSTLY_NOT_A_DIGIT))
    result = digitocr.classify(SEVEN, model=eleven)
    assert result["digit"] == 4 and result["confidence"] == pytest.approx(0.05)
    assert result["not_a_digit"] == pytest.approx(0.8, abs=1e-6)
    assert digitocr.classify(SEVEN)["not_a_digit"] == pytest.approx(0.8, abs=1e-6)  # the shipped model: eleven
    assert digitocr.classify(SEVEN, model=ten)["not_a_digit"] == 0.0


# --- digitocr classify -----------------------------------------------------------------------------------------------

def test_cli_says_not_a_digit_when_it_is_likelier_than_the_best_digit(not_a_digit_model, monkeypatch, capsys):
    monkeypatch.setattr(Classifier, "predict", fixed(MOSTLY_NOT_A_DIGIT))
    assert main(["classify", str(SEVEN), "--model", str(not_a_digit_model)]) == 0
    assert capsys.readouterr().out == f"{SEVEN}\tnot a digit\t0.800\t(best digit: 4 0.050)\n"


def test_cli_prints_the_digit_line_when_the_digit_is_likelier(not_a_digit_model, monkeypatch, capsys):
    monkeypatch.setattr(Classifier, "predict", fixed(MOSTLY_A_SEVEN))
    assert main(["classify", str(SEVEN), "--model", str(not_a_digit_model)]) == 0
    assert capsys.readouterr().out == f"{SEVEN}\t7\t0.600\t(next: 5 0.060)\n"


def test_cli_never_says_not_a_digit_with_a_ten_output_model(tiny_model, monkeypatch, capsys):
    monkeypatch.setattr(Classifier, "predict", fixed(MOSTLY_NOT_A_DIGIT))  # they leave 0.8, but to no output
    assert main(["classify", str(SEVEN), "--model", str(tiny_model)]) == 0
    assert capsys.readouterr().out == f"{SEVEN}\t4\t0.050\t(next: 3 0.030)\n"
    assert main(["classify", str(SEVEN)]) == 0  # the shipped model, by default, has that output
    assert capsys.readouterr().out == f"{SEVEN}\tnot a digit\t0.800\t(best digit: 4 0.050)\n"


def test_cli_json_gives_not_a_digit(not_a_digit_model, tiny_model, monkeypatch, capsys):
    monkeypatch.setattr(Classifier, "predict", fixed(MOSTLY_NOT_A_DIGIT))
    assert main(["classify", str(SEVEN), "--model", str(not_a_digit_model), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record == {"file": str(SEVEN), "digit": 4, "confidence": 0.05, "probabilities": MOSTLY_NOT_A_DIGIT,
                      "not_a_digit": 0.8}
    assert main(["classify", str(SEVEN), "--json"]) == 0  # the shipped model, by default: eleven outputs
    assert json.loads(capsys.readouterr().out) == record
    assert main(["classify", str(SEVEN), "--model", str(tiny_model), "--json"]) == 0  # ten outputs
    assert json.loads(capsys.readouterr().out)["not_a_digit"] == 0.0
