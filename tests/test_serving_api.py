"""The HTTP API (digitocr.serving): every endpoint, the limits, the error answers, and `digitocr serve`.

Answers are compared with what the Python API gives for the same bytes, so a test here fails if the
server reads, classifies or draws anything differently from `digitocr read` and `digitocr classify`."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import numpy as np
import pytest
from built_files import encode, pdf_encrypted, pdf_no_pages, png_claiming, truncated_jpeg
from fastapi.testclient import TestClient
from PIL import Image
from serving_live import live_server

import digitocr
from digitocr.classifier import Classifier, load_image
from digitocr.preprocess import image_to_mnist_form
from digitocr.reading.export import CONFIDENT, DOUBTFUL, UNSURE, annotate
from digitocr.reading.load import load_pages
from digitocr.serving import app as serving_app
from digitocr.serving import create_app

ASSETS = Path(digitocr.__file__).parent / "assets"
PAGE = ASSETS / "examples" / "page.png"
DIGITS = ASSETS / "examples" / "digits_by_label"
SEVEN = sorted((DIGITS / "7").glob("*.png"))[0]
STATIC = Path(serving_app.__file__).parent / "static"


# --- files built here --------------------------------------------------------------------------------------------

def blank_png(width: int = 300, height: int = 200) -> bytes:
    return encode(Image.new("L", (width, height), 255), "PNG")


def pdf_of(images: list[Image.Image], dpi: int = 72) -> bytes:
    return encode(images[0], "PDF", save_all=True, append_images=images[1:], resolution=dpi)


PDF_NO_PAGES = pdf_no_pages()
PDF_ENCRYPTED = pdf_encrypted()


# --- fixtures ------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier()


@pytest.fixture(scope="module")
def client(classifier) -> TestClient:
    return TestClient(create_app(model=classifier))


def post_file(client: TestClient, path: str, data: bytes, name: str = "upload.bin", **params):
    return client.post(path, files={"file": (name, data, "application/octet-stream")}, params=params)


def assert_one_line_error(response, status: int, reason: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert list(body) == ["detail"] and isinstance(body["detail"], str)
    assert "\n" not in body["detail"]
    assert reason in body["detail"], body["detail"]


# --- health, model, documents, the web page ------------------------------------------------------------------------

def test_health_says_ok_and_the_limits(classifier):
    client = TestClient(create_app(model=classifier, max_upload_bytes=12345, max_pages=3, max_pixels=1_000_000))
    response = client.get("/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "version": digitocr.__version__, "model": "digit_classifier",
                               "limits": {"max_upload_bytes": 12345, "max_pages": 3, "max_pixels": 1_000_000}}


def test_model_gives_the_cards_figures_and_the_files_sha256(client):
    card = json.loads((ASSETS / "digit_classifier.json").read_text())
    body = client.get("/v1/model").json()
    assert body["sha256"] == hashlib.sha256((ASSETS / "digit_classifier.onnx").read_bytes()).hexdigest()
    assert body["name"] == "digit_classifier" and body["file"] == "digit_classifier.onnx"
    assert body["test_accuracy"] == card["test_accuracy"] and body["test_errors"] == card["test"]["errors"]
    assert body["test_images"] == card["test"]["images"] and body["parameters"] == card["parameters"]
    assert body["precision"] == card["quantization"]["precision"] and body["val_accuracy"] == card["val_accuracy"]
    assert body["expected_calibration_error"] == card["test"]["ece"]
    assert body["mean_confidence"] == card["test"]["mean_confidence"]
    assert (body["arch"], body["shipped"], body["command"]) == (card["arch"], card["shipped"], card["command"])
    assert body["test_images"] == 10_000 and body["test_accuracy"] >= 0.9965  # MNIST's whole test set
    assert body["classes"] == card["output"]["classes"] == [*(str(d) for d in range(10)), "not a digit"]


def test_openapi_and_docs_are_served_from_here(client):
    spec = client.get("/openapi.json").json()
    assert {"/v1/read", "/v1/classify", "/v1/health", "/v1/model"} <= set(spec["paths"])
    read = spec["paths"]["/v1/read"]["post"]
    assert {p["name"] for p in read["parameters"]} == {"pages", "dpi", "annotate"}
    assert "multipart/form-data" in read["requestBody"]["content"]
    assert {"413", "415", "422"} <= set(read["responses"])
    assert "application/json" in spec["paths"]["/v1/classify"]["post"]["requestBody"]["content"]
    answer = spec["components"]["schemas"]["Classification"]
    assert set(answer["properties"]) == set(answer["required"]) == {"digit", "confidence", "probabilities",
                                                                     "not_a_digit"}
    for page in ("/docs", "/redoc"):
        html = client.get(page).text
        assert "openapi.json" in html
        assert not re.search(r"(src|href)=[\"']?(https?:)?//", html), f"{page} loads something from elsewhere"
        for asset in re.findall(r"(/static-offline-docs/[\w.-]+)", html):
            assert client.get(asset).status_code == 200, asset


def test_the_web_page_and_its_files_are_served_with_nothing_from_elsewhere(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.head("/").status_code == 200
    for name in ("index.html", "app.js", "style.css"):
        text = (STATIC / name).read_text()
        assert "http:" not in text and "https:" not in text and "@import" not in text, name
        assert not re.search(r"""(src|href|url)\s*[=(]\s*["']?//""", text), name
    for asset in re.findall(r'(?:src|href)="(/static/[\w.]+)"', page.text):
        assert client.get(asset).status_code == 200, asset
    assert re.findall(r'(?:src|href)="(/static/[\w.]+)"', page.text) == ["/static/style.css", "/static/app.js"]


def test_the_pages_confidence_colours_are_the_readers():
    css = (STATIC / "style.css").read_text()
    for name, rgb in (("sure", CONFIDENT), ("unsure", UNSURE), ("doubtful", DOUBTFUL)):
        assert f"--{name}: rgb({rgb[0]}, {rgb[1]}, {rgb[2]});" in css
    assert "confidence >= 0.9 ? \"sure\" : confidence >= 0.6 ? \"unsure\"" in (STATIC / "app.js").read_text()


# --- /v1/read --------------------------------------------------------------------------------------------------------

def test_read_gives_what_the_python_api_gives(client, classifier):
    data = PAGE.read_bytes()
    response = post_file(client, "/v1/read", data, name="page.png")
    assert response.status_code == 200
    expected = digitocr.read(data, model=classifier).to_dict()
    expected["file"] = "page.png"
    assert response.json() == expected
    truth = [n["text"] for n in json.loads((PAGE.with_suffix(".json")).read_text())["numbers"]]
    read = response.json()["pages"][0]["text"].split()
    assert sum(t in read for t in truth) >= 11  # the README: eleven of its twelve numbers read exactly


def test_read_takes_the_file_as_the_body_too(client):
    multipart = post_file(client, "/v1/read", PAGE.read_bytes(), name="page.png").json()
    raw = client.post("/v1/read", content=PAGE.read_bytes(), headers={"content-type": "image/png"}).json()
    assert raw["file"] == "upload" and raw["pages"] == multipart["pages"]


def test_read_pages_and_dpi_pick_and_render_pdf_pages(client):
    pages = [Image.new("L", (144, 72 * (i + 1)), 255) for i in range(3)]  # 2 x 1, 2 x 2, 2 x 3 inches
    response = post_file(client, "/v1/read", pdf_of(pages), name="three.pdf", pages="2-3", dpi=50)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["file"] == "three.pdf"
    assert [(p["number"], p["width"], p["height"], p["dpi"]) for p in body["pages"]] == [(2, 100, 100, 50),
                                                                                          (3, 100, 150, 50)]


def test_annotate_adds_each_page_as_the_cli_draws_it(client, classifier):
    data = PAGE.read_bytes()
    body = post_file(client, "/v1/read", data, name="page.png", annotate="true").json()
    assert len(body["annotated"]) == len(body["pages"]) == 1
    prefix, encoded = body["annotated"][0].split(",", 1)
    assert prefix == "data:image/png;base64"
    picture = Image.open(io.BytesIO(base64.b64decode(encoded)))
    assert picture.format == "PNG" and picture.size == (body["pages"][0]["width"], body["pages"][0]["height"])
    doc = digitocr.read(data, model=classifier)
    drawn = annotate(load_pages(data)[0].image, doc.pages[0])
    assert np.array_equal(np.asarray(picture.convert("RGB")), drawn)
    assert "annotated" not in post_file(client, "/v1/read", data).json()


BAD_FILES = {  # name: (content, status, what the detail says)
    "empty": (b"", 422, "empty file"),
    "text": (b"Not a picture: just some text.\n", 415, "not an image or PDF this tool can read"),
    "heic": (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 64, 415, "HEIC/HEIF photo"),
    "truncated jpeg": (truncated_jpeg(), 422, "truncated image"),
    "encrypted pdf": (PDF_ENCRYPTED, 422, "encrypted PDF (password-protected)"),
    "pdf with no pages": (PDF_NO_PAGES, 422, "a PDF with no pages"),
    "broken pdf": (b"%PDF-1.4\n1 0 obj << /Type /Page >> nonsense", 422, "broken PDF"),
    "pixel bomb": (png_claiming(100_000, 100_000), 422, "pixels, more than the limit of 80,000,000"),
}


@pytest.mark.parametrize("bad", BAD_FILES)
def test_a_bad_file_is_a_4xx_with_the_reason_and_the_server_goes_on(bad, client):
    content, status, reason = BAD_FILES[bad]
    assert_one_line_error(post_file(client, "/v1/read", content, name="bad.bin"), status, reason)
    assert post_file(client, "/v1/read", blank_png()).status_code == 200


def test_too_many_pages_is_422_unless_some_are_picked(classifier):
    client = TestClient(create_app(model=classifier, max_pages=2))
    three = pdf_of([Image.new("L", (72, 72), 255)] * 3)
    assert_one_line_error(post_file(client, "/v1/read", three), 422, "3 pages, more than the limit of 2")
    assert_one_line_error(post_file(client, "/v1/read", three, pages="1-3"), 422, "more than the limit of 2")
    assert [p["number"] for p in post_file(client, "/v1/read", three, pages="2-3").json()["pages"]] == [2, 3]


def test_a_pixel_limit_of_the_servers_own(classifier):
    client = TestClient(create_app(model=classifier, max_pixels=10_000))
    assert_one_line_error(post_file(client, "/v1/read", blank_png(200, 100)), 422,
                          "200 x 100 pixels, more than the limit of 10,000")


@pytest.mark.parametrize("params, reason", [
    ({"dpi": "0"}, "dpi: Input should be greater than 0"),
    ({"dpi": "many"}, "dpi: Input should be a valid integer"),
    ({"pages": "one"}, "bad page list 'one'"),
    ({"pages": "4"}, "page 4 is out of range: the file has 1 page"),
    ({"annotate": "perhaps"}, "annotate: Input should be a valid boolean"),
])
def test_bad_options_are_422_in_one_line(client, params, reason):
    assert_one_line_error(post_file(client, "/v1/read", blank_png(), **params), 422, reason)


def test_a_multipart_body_without_the_file_field_or_broken(client):
    response = client.post("/v1/read", files={"page": ("page.png", blank_png(), "image/png")})
    assert_one_line_error(response, 422, "no file: send it as the multipart field 'file'")
    broken = b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n" + blank_png()
    response = client.post("/v1/read", content=broken, headers={"content-type": "multipart/form-data; boundary=xyz"})
    assert_one_line_error(response, 422, "broken multipart body")
    response = client.post("/v1/read", content=b"abc", headers={"content-type": "multipart/form-data"})
    assert_one_line_error(response, 422, "without a boundary")


def test_the_file_name_a_client_sends_is_a_label_never_opened(client, tmp_path):
    on_disk = tmp_path / "page.png"
    on_disk.write_bytes(PAGE.read_bytes())  # a page full of numbers, where the name points
    body = post_file(client, "/v1/read", blank_png(), name=str(on_disk)).json()
    assert body["file"] == "page.png" and body["pages"][0]["text"] == ""  # the blank upload was read, not the file
    body = post_file(client, "/v1/read", blank_png(), name="../../../etc/passwd").json()
    assert body["file"] == "passwd" and body["pages"][0]["lines"] == []
    response = post_file(client, "/v1/read", blank_png(), name=str(tmp_path / "missing" / "scan.pdf"))
    assert response.status_code == 200 and response.json()["file"] == "scan.pdf"


def test_uploads_never_touch_the_disk(client, tmp_path, monkeypatch):
    """Starlette's form parser would spool a file over 1 MB to a temporary file: ours keeps it in memory."""
    import starlette.formparsers

    def refuse(*args, **kwargs):
        raise AssertionError("a temporary file was made for an upload")

    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    for name in ("SpooledTemporaryFile", "TemporaryFile", "NamedTemporaryFile", "mkstemp", "mkdtemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    monkeypatch.setattr(starlette.formparsers, "SpooledTemporaryFile", refuse)
    info = __import__("PIL.PngImagePlugin", fromlist=["PngInfo"]).PngInfo()
    info.add_text("padding", "x" * 3_000_000)  # a 3 MB PNG
    big = encode(Image.open(PAGE), "PNG", pnginfo=info)
    assert len(big) > 3_000_000
    response = post_file(client, "/v1/read", big, name="big.png")
    assert response.status_code == 200 and response.json()["pages"][0]["text"]
    assert list(folder.iterdir()) == []


# --- the size limit: 413 ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small_limit_app(classifier):
    return create_app(model=classifier, max_upload_bytes=10_000)


def test_an_upload_over_the_limit_is_413_and_the_server_goes_on(small_limit_app):
    client = TestClient(small_limit_app)
    response = post_file(client, "/v1/read", PAGE.read_bytes())
    assert_one_line_error(response, 413, "the limit is 10,000 bytes")
    assert_one_line_error(client.post("/v1/classify", content=b"x" * 10_001), 413, "10,001 bytes")

    def chunks():  # no Content-Length: the bytes are counted as they come
        for _ in range(20):
            yield b"x" * 1000

    assert_one_line_error(client.post("/v1/read", content=chunks()), 413, "larger than that: the limit is 10,000")
    digit = SEVEN.read_bytes()
    assert len(digit) < 10_000 and post_file(client, "/v1/classify", digit).json()["digit"] == 7


def raw_request(url: str, head: bytes, body: bytes = b"") -> bytes:
    """Send raw bytes to the server; what it answers before the body is finished, or at all."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall(head + body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = s.recv(65536)
            if not chunk:
                break
            answer += chunk
    return answer


def test_413_from_content_length_before_any_byte_is_read_and_for_a_chunked_body(small_limit_app):
    with live_server(small_limit_app) as url:
        # A client that announces a gigabyte and sends nothing gets its answer at once.
        answer = raw_request(url, b"POST /v1/read HTTP/1.1\r\nHost: x\r\nContent-Type: image/png\r\n"
                                  b"Content-Length: 1000000000\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
        # A chunked body is counted as it arrives: refused after the limit, not at its end.
        chunk = b"2710\r\n" + b"x" * 10_000 + b"\r\n"
        answer = raw_request(url, b"POST /v1/read HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n",
                             chunk * 2)
        assert answer.startswith(b"HTTP/1.1 413 "), answer[:200]
        answer = raw_request(url, b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert answer.startswith(b"HTTP/1.1 200 ")


# --- reading runs off the event loop -------------------------------------------------------------------------------

def test_a_slow_read_does_not_stall_other_requests(classifier, monkeypatch):
    started, release = threading.Event(), threading.Event()

    def slow_read(*args, **kwargs):
        started.set()
        release.wait(30)
        return {"slow": "done"}

    monkeypatch.setattr(serving_app, "read_document", slow_read)
    results: dict = {}
    with TestClient(create_app(model=classifier, reading_threads=1)) as client:
        reading = threading.Thread(target=lambda: results.update(read=post_file(client, "/v1/read", b"x")))
        reading.start()
        try:
            assert started.wait(10), "the read never started"
            others = threading.Thread(target=lambda: results.update(
                health=client.get("/v1/health"), classify=post_file(client, "/v1/classify", SEVEN.read_bytes())))
            others.start()
            others.join(10)
            assert not others.is_alive(), "health and classify waited for the slow read"
            assert results["health"].status_code == 200 and results["classify"].json()["digit"] == 7
            assert reading.is_alive() and "read" not in results
        finally:
            release.set()
            reading.join(30)
    assert results["read"].json() == {"slow": "done"}


def test_a_fault_of_ours_is_500_in_one_line_and_the_server_goes_on(classifier, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(serving_app, "read_document", broken)
    client = TestClient(create_app(model=classifier), raise_server_exceptions=False)
    assert_one_line_error(post_file(client, "/v1/read", blank_png()), 500,
                          "internal error, a bug in digitocr: RuntimeError: boom")
    assert client.get("/v1/health").status_code == 200


# --- /v1/classify ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("label", range(10))
def test_classify_an_image_as_digitocr_classify_does(client, classifier, label):
    path = sorted((DIGITS / str(label)).glob("*.png"))[0]
    body = post_file(client, "/v1/classify", path.read_bytes(), name=path.name).json()
    assert body == digitocr.classify(path, model=classifier)
    assert body["digit"] == label and len(body["probabilities"]) == 10


def test_classify_pixels_as_json_is_the_models_input_as_is(client, classifier):
    form = image_to_mnist_form(load_image(SEVEN))
    body = client.post("/v1/classify", json={"pixels": form.tolist()}).json()
    assert body == digitocr.classify(SEVEN, model=classifier)  # the same crop the image path makes
    assert body["digit"] == 7 and abs(body["not_a_digit"] - (1 - sum(body["probabilities"]))) < 1e-6
    assert 0.0 < body["not_a_digit"] < 0.01  # the shipped model has the eleventh output: a clean seven leaves it little


def test_classify_pixels_with_a_ten_output_model_gives_not_a_digit_0(tiny_model):
    client = TestClient(create_app(model=tiny_model))
    assert client.get("/v1/model").json()["classes"] == [str(d) for d in range(10)]
    form = image_to_mnist_form(load_image(SEVEN))
    body = client.post("/v1/classify", json={"pixels": form.tolist()}).json()
    assert body == digitocr.classify(SEVEN, model=str(tiny_model))
    assert abs(sum(body["probabilities"]) - 1) < 1e-4 and body["not_a_digit"] == 0.0


@pytest.fixture(scope="module")
def eleven_client(not_a_digit_model) -> TestClient:
    """The app with a model that has the eleventh output, "not a digit"."""
    return TestClient(create_app(model=not_a_digit_model))


def test_model_lists_the_not_a_digit_class(eleven_client):
    assert eleven_client.get("/v1/model").json()["classes"] == [*(str(d) for d in range(10)), "not a digit"]


@pytest.mark.parametrize("label", [0, 4, 7])
def test_classify_gives_the_not_a_digit_share_with_a_model_that_has_it(eleven_client, not_a_digit_model, label):
    path = sorted((DIGITS / str(label)).glob("*.png"))[0]
    body = post_file(eleven_client, "/v1/classify", path.read_bytes(), name=path.name).json()
    assert list(body) == ["digit", "confidence", "probabilities", "not_a_digit"] and len(body["probabilities"]) == 10
    assert 0.0 < body["not_a_digit"] < 1.0
    assert abs(body["not_a_digit"] - (1 - sum(body["probabilities"]))) < 1e-6
    assert body == digitocr.classify(path, model=str(not_a_digit_model))
    form = image_to_mnist_form(load_image(path))  # the same crop as the model's input: the same answer
    assert eleven_client.post("/v1/classify", json={"pixels": form.tolist()}).json() == body


def pixels_with(value, row: int = 3, col: int = 5) -> dict:
    pixels = [[0.0] * 28 for _ in range(28)]
    pixels[10][10] = 1.0
    pixels[row][col] = value
    return {"pixels": pixels}


@pytest.mark.parametrize("body, reason", [
    (b"{not json", "the body is not valid JSON"),
    (json.dumps({"image": []}).encode(), 'expected {"pixels": [[28 numbers], ... 28 rows]}'),
    (json.dumps({"pixels": [[0.5] * 28] * 27}).encode(), "pixels must be 28 rows of 28 numbers, got 27 rows"),
    (json.dumps({"pixels": [[0.5] * 28] * 27 + [[0.5] * 3]}).encode(), "row 27 has 3 values"),
    (json.dumps({"pixels": "white"}).encode(), "got a str"),
    (json.dumps(pixels_with("0.5")).encode(), 'pixels[3][5] is "0.5", not a number'),
    (json.dumps(pixels_with(True)).encode(), "pixels[3][5] is true, not a number"),
    (json.dumps(pixels_with(1.5)).encode(), "pixels[3][5] is 1.5: values must be in [0, 1]"),
    (json.dumps(pixels_with(-0.1)).encode(), "pixels[3][5] is -0.1: values must be in [0, 1]"),
    (json.dumps(pixels_with(float("nan"))).encode(), "pixels[3][5] is nan: values must be in [0, 1]"),
    (json.dumps({"pixels": [[0] * 28] * 28}).encode(), "no ink: every pixel is 0"),
])
def test_bad_pixels_are_422_with_the_reason(client, body, reason):
    response = client.post("/v1/classify", content=body, headers={"content-type": "application/json"})
    assert_one_line_error(response, 422, reason)
    assert client.post("/v1/classify", json=pixels_with(1.0)).status_code == 200


def test_pixel_shapes_are_counted_in_words(client):
    details = [client.post("/v1/classify", json={"pixels": pixels}).json()["detail"]
               for pixels in ([[0.5]], [[0.5] * 28] * 27 + [[0.5]])]
    assert details == ["pixels must be 28 rows of 28 numbers, got 1 row",
                       "pixels must be 28 rows of 28 numbers: row 27 has 1 value"]


def test_classify_refuses_a_blank_or_unreadable_image(client):
    assert_one_line_error(post_file(client, "/v1/classify", blank_png()), 422, "no ink found: the image is blank")
    assert_one_line_error(post_file(client, "/v1/classify", b"hello"), 415, "not an image or PDF")
    assert_one_line_error(post_file(client, "/v1/classify", truncated_jpeg()), 422, "truncated image")
    assert post_file(client, "/v1/classify", SEVEN.read_bytes()).json()["digit"] == 7


# --- `digitocr serve` ------------------------------------------------------------------------------------------------

def test_serving_never_imports_torch():
    code = ("import sys\nfrom fastapi.testclient import TestClient\nfrom digitocr.serving import create_app\n"
            "c = TestClient(create_app())\nassert c.post('/v1/classify', content=open(sys.argv[1], 'rb').read())"
            ".json()['digit'] == 7\nprint(sorted(m for m in sys.modules if m.split('.')[0] == 'torch'))\n")
    result = subprocess.run([sys.executable, "-c", code, str(SEVEN)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_serve_without_the_extra_says_how_to_install_it():
    code = ("import sys\nsys.modules['fastapi'] = None  # as if not installed\n"
            "from digitocr.cli import main\nsys.exit(main(['serve']))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr == ("digitocr: error: 'digitocr serve' needs the serve extra: "
                             "pip install 'digitocr[serve]'\n")


def test_serve_on_a_port_in_use_is_one_line_and_exit_2(capsys):
    from digitocr.cli import main

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"digitocr: error: cannot listen on 127.0.0.1:{port} (") and err.count("\n") == 1


def test_digitocr_serve_starts_serves_and_stops():
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen([sys.executable, "-m", "digitocr.cli", "serve", "--port", "0", "--max-upload-mb", "0.5"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    try:
        line = process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, line
        import httpx2 as httpx

        base = f"http://127.0.0.1:{match[1]}"
        for _ in range(100):  # the line comes just before uvicorn starts accepting
            try:
                health = httpx.get(f"{base}/v1/health", timeout=5)
                break
            except httpx.TransportError:
                threading.Event().wait(0.05)
        assert health.json()["limits"]["max_upload_bytes"] == 2**19
        assert httpx.post(f"{base}/v1/read", content=b"x" * (2**19 + 1), timeout=10).status_code == 413
        assert httpx.post(f"{base}/v1/classify", files={"file": ("7.png", SEVEN.read_bytes())},
                          timeout=10).json()["digit"] == 7
    finally:
        process.terminate()
        assert process.wait(20) in (0, -signal.SIGTERM)  # uvicorn shuts down, then lets the signal end it


def test_pages_read_in_parallel_run_the_models_on_one_runtime_thread_each():
    # the pages keep the cores busy: the runtime's own pool on top of them only contends
    def threads(clf: Classifier) -> tuple[int, int]:
        return (clf.session.get_session_options().intra_op_num_threads,
                clf.strings.session.get_session_options().intra_op_num_threads)
    assert threads(serving_app.serving_classifier(None, 2)) == (1, 1)
    assert threads(serving_app.serving_classifier(None, 1)) == (0, 0)  # alone: the runtime's default, all cores
