"""The edges of the page reader: files in (load.py), text/JSON/hOCR/pictures out (export.py), `digitocr read`,
and the Python API digitocr.read() / classify(). Every input file is built here, byte for byte where it must be."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
import zlib
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from built_files import encode, pdf_encrypted, pdf_no_pages, png_claiming, truncated_jpeg
from PIL import Image

import digitocr
from digitocr.cli import main
from digitocr.document import Char, Document, Line, Page, Word
from digitocr.errors import DataError
from digitocr.reading import pipeline
from digitocr.reading.export import annotate, to_hocr, to_json, to_text, write_annotated
from digitocr.reading.load import _plain_png, load_pages, parse_page_spec, select_pages

EXAMPLES = Path(digitocr.__file__).parent / "assets" / "examples" / "digits_by_label"


@pytest.fixture(scope="session")
def model(request) -> Path:
    """The shipped model ($DIGITOCR_MODEL, else the package's); a tiny trained one where none is shipped yet."""
    from digitocr.classifier import shipped_model_path

    path = shipped_model_path()
    return path if path.is_file() else request.getfixturevalue("tiny_model")


# --- files built here ------------------------------------------------------------------------------------------------

def mark_image(width: int = 60, height: int = 40) -> np.ndarray:
    """White, with a black block at rows 10-20, columns 5-15: where it lands shows orientation."""
    a = np.full((height, width), 255, np.uint8)
    a[10:20, 5:15] = 0
    return a


def pdf_pages(images: list[np.ndarray], dpi: int = 72) -> bytes:
    """A PDF with one page per image, each page the image's size at `dpi` (Pillow writes it)."""
    pil = [Image.fromarray(a) for a in images]
    return encode(pil[0], "PDF", save_all=True, append_images=pil[1:], resolution=dpi)


def tiff_pages(images: list[np.ndarray]) -> bytes:
    pil = [Image.fromarray(a) for a in images]
    return encode(pil[0], "TIFF", save_all=True, append_images=pil[1:])


def handwritten_page() -> np.ndarray:
    """A 900 x 1200 white page with two lines of MNIST digits (the package's examples): 1250 / 2407 93."""
    page = np.full((1200, 900), 255, np.uint8)

    def write(digits: str, x: int, y: int, size: int = 80) -> None:
        for d in digits:
            im = Image.open(sorted((EXAMPLES / d).glob("*.png"))[0]).convert("L").resize((size, size), Image.LANCZOS)
            a = np.asarray(im).astype(np.float32)
            a = ((a - a.min()) / max(1.0, a.max() - a.min()) * 255).astype(np.uint8)
            page[y:y + size, x:x + size] = np.minimum(page[y:y + size, x:x + size], a)
            x += int(size * 0.75)

    write("1250", 100, 200)
    write("2407", 100, 500)
    write("93", 500, 500)
    return page


@pytest.fixture(scope="module")
def digits_png(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("pages") / "digits.png"
    Image.fromarray(handwritten_page()).save(path)
    return path


@pytest.fixture
def blank_png(tmp_path) -> Path:
    path = tmp_path / "blank.png"
    Image.new("L", (400, 300), 255).save(path)
    return path


# --- every format loads, by content ----------------------------------------------------------------------------------

def grey(a: np.ndarray) -> np.ndarray:
    return a if a.ndim == 2 else a.mean(axis=2)


FORMATS = {
    "jpeg": lambda: encode(Image.fromarray(mark_image()).convert("RGB"), "JPEG", quality=95),
    "png-grey": lambda: encode(Image.fromarray(mark_image()), "PNG"),
    "png-rgb": lambda: encode(Image.fromarray(mark_image()).convert("RGB"), "PNG"),
    "png-16bit": lambda: encode(Image.fromarray(mark_image().astype(np.uint16) * 257), "PNG"),
    "png-palette": lambda: encode(Image.fromarray(mark_image()).convert("RGB").convert("P"), "PNG"),
    "png-1bit": lambda: encode(Image.fromarray(mark_image()).convert("1"), "PNG"),
    "tiff": lambda: encode(Image.fromarray(mark_image()), "TIFF"),
    "bmp": lambda: encode(Image.fromarray(mark_image()).convert("RGB"), "BMP"),
    "webp": lambda: encode(Image.fromarray(mark_image()).convert("RGB"), "WEBP", quality=95),
    "gif": lambda: encode(Image.fromarray(mark_image()), "GIF"),
    "pdf": lambda: pdf_pages([mark_image()]),
}


@pytest.mark.parametrize("kind", FORMATS)
def test_every_format_loads_by_content(kind, tmp_path):
    data = FORMATS[kind]()
    path = tmp_path / "no_extension_at_all"  # the name says nothing: the content decides
    path.write_bytes(data)
    for source in (path, data):
        [page] = load_pages(source, dpi=72)
        assert page.number == 1 and page.image.dtype == np.uint8
        assert page.image.ndim == 2 or page.image.shape[2] == 3
        assert page.image.shape[:2] == (40, 60)
        g = grey(page.image)
        assert g[15, 10] < 60 and g[2, 2] > 200 and g[30, 50] > 200  # the mark, where it was drawn


def test_a_plain_png_is_decoded_by_libspng_to_pillows_very_pixels_and_any_other_is_left_to_pillow():
    rng = np.random.default_rng(3)
    for image in (rng.integers(0, 256, (37, 53), np.uint8), rng.integers(0, 256, (37, 53, 3), np.uint8)):
        data = encode(Image.fromarray(image), "PNG")
        fast = _plain_png(Image.open(io.BytesIO(data)), io.BytesIO(data))
        assert fast is not None and fast.flags.writeable and np.array_equal(fast, image)  # RGB, as Pillow's
        [page] = load_pages(data)
        assert np.array_equal(page.image, image)
    exif = Image.Exif()
    exif[0x0112] = 6  # taken with the camera on its side
    others = {"exif": encode(Image.fromarray(image), "PNG", exif=exif.tobytes()),
              "16 bits": encode(Image.fromarray(image[:, :, 0].astype(np.uint16) * 257), "PNG"),
              "transparency": encode(Image.fromarray(image[:, :, 0]), "PNG", transparency=0)}
    for kind, data in others.items():
        assert _plain_png(Image.open(io.BytesIO(data)), io.BytesIO(data)) is None, kind
    [page] = load_pages(others["exif"])
    assert page.image.shape == (53, 37, 3)  # turned upright by Pillow


@pytest.mark.parametrize("damage", ["truncated", "a wrong CRC", "right CRCs over a broken stream"])
def test_a_damaged_png_gets_pillows_one_line_and_nothing_from_the_decoder(damage, blank_png, model, tmp_path, capfd):
    data = bytearray(encode(Image.fromarray(mark_image()).convert("RGB"), "PNG"))
    idat = data.index(b"IDAT")
    if damage == "truncated":
        data = data[: len(data) * 2 // 3]
    else:
        data[idat + 8] ^= 0xFF  # a byte of the pixels: the chunk's CRC no longer fits
    if damage == "right CRCs over a broken stream":  # ... made to fit again: only the stream's own checksum tells
        end = idat + 4 + int.from_bytes(data[idat - 4 : idat], "big")
        data[end : end + 4] = zlib.crc32(data[idat:end]).to_bytes(4, "big")
        assert _plain_png(Image.open(io.BytesIO(bytes(data))), io.BytesIO(bytes(data))) is None
    path = tmp_path / "damaged.png"
    path.write_bytes(bytes(data))
    status = main(["read", str(path), str(blank_png), "--format", "json", "--model", str(model)])
    out, err = capfd.readouterr()  # (the file descriptor: libpng would write there, not to sys.stderr)
    assert status == 2
    assert len(err.splitlines()) == 1, err
    assert err.startswith((f"digitocr: {path}: broken image", f"digitocr: {path}: truncated image")), err
    assert json.loads(out.splitlines()[0])["file"] == str(blank_png)


def test_16bit_png_is_scaled_to_8_bits():
    ramp = np.tile(np.linspace(0, 65535, 256).astype(np.uint16), (4, 1))
    assert Image.open(io.BytesIO(encode(Image.fromarray(ramp), "PNG"))).mode.startswith("I")
    [page] = load_pages(encode(Image.fromarray(ramp), "PNG"))
    assert page.image.dtype == np.uint8 and page.image.ndim == 2
    assert page.image[0, 0] == 0 and page.image[0, -1] == 255
    assert np.all(np.diff(page.image[0].astype(int)) >= 0)


def test_alpha_is_composited_onto_white():
    rgba = np.zeros((20, 30, 4), np.uint8)  # transparent everywhere ...
    rgba[5:10, 5:10] = (0, 0, 255, 255)  # ... but an opaque blue square
    for source in (encode(Image.fromarray(rgba), "PNG"), Image.fromarray(rgba), rgba,
                   encode(Image.fromarray(rgba).convert("LA"), "PNG")):
        [page] = load_pages(source)
        g = grey(page.image)
        assert g[0, 0] == 255 and g[7, 7] < 100


def test_palette_png_with_transparency():
    im = Image.fromarray(mark_image()).convert("P")
    im.info["transparency"] = 255  # the white index: transparent, so it must come back white
    [page] = load_pages(encode(im, "PNG", transparency=int(np.asarray(im)[0, 0])))
    assert grey(page.image)[0, 0] == 255 and grey(page.image)[15, 10] < 60


def test_jpeg_exif_orientation_is_honoured():
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: to be shown rotated 90 degrees clockwise
    data = encode(Image.fromarray(mark_image()).convert("RGB"), "JPEG", quality=95, exif=exif.tobytes())
    [page] = load_pages(data)
    assert page.image.shape[:2] == (60, 40)
    expected = np.rot90(mark_image(), k=-1)
    assert np.mean(np.abs(grey(page.image) - expected)) < 10


def test_multi_page_tiff_and_page_selection():
    images = [np.full((30 + 10 * i, 40), 255, np.uint8) for i in range(3)]
    data = tiff_pages(images)
    assert [p.image.shape for p in load_pages(data)] == [(30, 40), (40, 40), (50, 40)]
    chosen = load_pages(data, pages="2-3")
    assert [p.number for p in chosen] == [2, 3] and [p.image.shape for p in chosen] == [(40, 40), (50, 40)]
    with pytest.raises(DataError, match="page 4 is out of range: the file has 3 pages"):
        load_pages(data, pages="4")


def test_a4_pdf_renders_as_pdftoppm_would():
    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595.2756, 841.8898)
    buf = io.BytesIO()
    pdf.save(buf)
    assert load_pages(buf.getvalue(), dpi=300)[0].image.shape == (3508, 2480)


def test_pdf_pages_render_at_the_dpi_and_pick_pages():
    data = pdf_pages([mark_image(), np.zeros((40, 60), np.uint8), mark_image()], dpi=72)
    pages = load_pages(data, dpi=144, pages="1,3")
    assert [p.number for p in pages] == [1, 3] and all(p.dpi == 144 for p in pages)
    assert all(p.image.shape[:2] == (80, 120) for p in pages)
    assert grey(pages[0].image)[30, 20] < 60 and grey(pages[0].image)[4, 4] > 200
    assert load_pages(data, dpi=72, pages="2")[0].image.max() < 60


def test_sources_give_the_same_pixels(tmp_path):
    data = encode(Image.fromarray(mark_image()).convert("RGB"), "PNG")
    path = tmp_path / "mark.png"
    path.write_bytes(data)
    sources = [path, str(path), data, bytearray(data), io.BytesIO(data), Image.open(path), np.asarray(Image.open(path))]
    arrays = [load_pages(s)[0].image for s in sources]
    for a in arrays[1:]:
        np.testing.assert_array_equal(a, arrays[0])


@pytest.mark.parametrize("array", [np.ones((40, 60)), np.ones((40, 60), bool), np.full((40, 60), 65535, np.uint16),
                                   np.full((40, 60, 1), 255, np.uint8)])
def test_numpy_dtypes(array):
    [page] = load_pages(array)
    assert page.image.dtype == np.uint8 and page.image.shape == (40, 60) and page.image.min() == 255


def test_page_specs():
    assert parse_page_spec("1,3-5, 8-") == [(1, 1), (3, 5), (8, None)]
    assert select_pages(parse_page_spec("5,1-2,2,8-"), 9) == [1, 2, 5, 8, 9]
    for bad in ("", "0", "3-1", "1,,2", "a", "1-2-3", "-2"):
        with pytest.raises(ValueError):
            parse_page_spec(bad)
    with pytest.raises(DataError, match="bad page list '2-1': '2-1' goes backwards"):
        load_pages(np.zeros((4, 4), np.uint8), pages="2-1")
    with pytest.raises(DataError, match="page 2 is out of range: the file has 1 page$"):
        load_pages(np.zeros((4, 4), np.uint8), pages="1-2")


def test_limits_are_checked_before_decoding():
    pdf = pdfium.PdfDocument.new()
    for _ in range(5000):
        pdf.new_page(612, 792)
    buf = io.BytesIO()
    pdf.save(buf)
    pdf.close()
    start = time.perf_counter()
    with pytest.raises(DataError, match="5000 pages, more than the limit of 200"):
        load_pages(buf.getvalue())
    assert [p.number for p in load_pages(buf.getvalue(), pages="4999-", dpi=10)] == [4999, 5000]
    with pytest.raises(DataError, match=r"page 1 is 10,200 x 13,200 pixels, more than the limit of 80,000,000"):
        load_pages(buf.getvalue(), pages="1", dpi=1200)
    with pytest.raises(DataError, match=r"image is 10,000,000,000 pixels, more than the limit"):
        load_pages(png_claiming(100_000, 100_000))
    with pytest.raises(DataError, match=r"image is 9,000 x 9,000 pixels, more than the limit of 1,000,000"):
        load_pages(png_claiming(9000, 9000), max_pixels=1_000_000)
    with pytest.raises(DataError, match="3 pages, more than the limit of 2"):
        load_pages(tiff_pages([mark_image()] * 3), max_pages=2)
    assert time.perf_counter() - start < 5


# --- bad files, through the CLI: exit 2, one line naming the file, the other files still read ---------------------

BAD_FILES = {  # name -> (content, or None for no file; the reason the one stderr line must give)
    "empty.png": (b"", "empty file"),
    "truncated.jpg": (truncated_jpeg(), "truncated image"),
    "text.jpg": (b"Not a picture: just some text.\n", "not an image or PDF this tool can read"),
    "no_pages.pdf": (pdf_no_pages(), "a PDF with no pages"),
    "locked.pdf": (pdf_encrypted(), "encrypted PDF (password-protected)"),
    "bomb.png": (png_claiming(100_000, 100_000), "pixels, more than the limit of 80,000,000"),
    "broken.pdf": (b"%PDF-1.4\n1 0 obj << /Type /Page >> nonsense", "broken PDF"),
    "a_directory": ("dir", "is a directory, not an image or PDF"),
    "missing.png": (None, "no such file"),
}


@pytest.mark.parametrize("bad", BAD_FILES)
def test_a_bad_file_is_one_line_and_exit_2_and_the_others_are_read(bad, blank_png, model, tmp_path, capsys):
    content, reason = BAD_FILES[bad]
    path = tmp_path / bad
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    status = main(["read", str(path), str(blank_png), "--format", "json", "--model", str(model)])
    out, err = capsys.readouterr()
    assert status == 2
    assert len(err.splitlines()) == 1 and err.startswith(f"digitocr: {path}: ") and reason in err, err
    [line] = out.splitlines()
    assert json.loads(line)["file"] == str(blank_png)


def test_pages_out_of_range_and_bad_spec(blank_png, model, tmp_path, capsys):
    pdf = tmp_path / "two.pdf"
    pdf.write_bytes(pdf_pages([mark_image(), mark_image()]))
    assert main(["read", str(pdf), "--pages", "3", "--model", str(model)]) == 2
    assert capsys.readouterr() == ("", f"digitocr: {pdf}: page 3 is out of range: the file has 2 pages\n")
    assert main(["read", str(pdf), str(blank_png), "--pages", "2", "--format", "json", "--model", str(model)]) == 2
    out, err = capsys.readouterr()
    assert [page["number"] for page in json.loads(out)["pages"]] == [2]
    assert err == f"digitocr: {blank_png}: page 2 is out of range: the file has 1 page\n"  # an image has one
    with pytest.raises(SystemExit) as exc:
        main(["read", str(blank_png), "--pages", "1-x"])
    assert exc.value.code == 2
    assert "--pages" in capsys.readouterr().err


def test_blank_page_reads_as_nothing_with_exit_0(blank_png, model, capsys):
    assert main(["read", str(blank_png), "--model", str(model)]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["read", str(blank_png), "--format", "json", "--model", str(model)]) == 0
    page = json.loads(capsys.readouterr().out)["pages"][0]
    assert page["text"] == "" and page["lines"] == [] and (page["width"], page["height"]) == (400, 300)


def test_a_fault_of_ours_is_exit_1_in_one_line(blank_png, digits_png, model, monkeypatch, capsys):
    real = pipeline.read_page

    def read_page(page, classifier):
        if page.image.shape == (300, 400):
            raise ZeroDivisionError("division by zero")
        return real(page, classifier)

    monkeypatch.setattr(pipeline, "read_page", read_page)
    monkeypatch.delenv("DIGITOCR_DEBUG", raising=False)
    assert main(["read", str(blank_png), str(digits_png), "--model", str(model)]) == 1
    out, err = capsys.readouterr()
    assert len(err.splitlines()) == 1, err
    assert err.startswith(f"digitocr: {blank_png}: internal error, a bug in digitocr: ZeroDivisionError")
    assert re.search(r" at digitocr/reading/__init__\.py:\d+ in read\(\)", err) and "DIGITOCR_DEBUG=1" in err
    assert out.strip()  # the other file was read
    monkeypatch.setenv("DIGITOCR_DEBUG", "1")
    assert main(["read", str(blank_png), "--model", str(model)]) == 1
    assert "Traceback (most recent call last)" in capsys.readouterr().err


def test_unreadable_model_is_exit_2(blank_png, tmp_path, capsys):
    assert main(["read", str(blank_png), "--model", str(tmp_path / "nope.onnx")]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "nope.onnx: no such model file" in err


# --- end to end: a page of handwriting -------------------------------------------------------------------------------

def test_read_a_page_of_digits_as_text_json_and_hocr(digits_png, model, capsys):
    assert main(["read", str(digits_png), "--model", str(model)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()  # how well it reads is the page benchmark's business; here: that it does
    assert 1 <= len(lines) <= 2 and all(re.fullmatch(r"[0-9.,/\- ]+", line) for line in lines), text
    assert main(["read", str(digits_png), "--format", "json", "--model", str(model)]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["file"] == str(digits_png) and doc["pages"][0]["text"] + "\n" == text
    assert len(doc["model"]["sha256"]) == 64
    strings = doc["model"]["strings"]  # the string reader, shipped beside the classifier, is named too
    assert strings["name"] == "digit_strings" and len(strings["sha256"]) == 64
    assert main(["read", str(digits_png), "--format", "hocr", "--model", str(model)]) == 0
    root = ET.fromstring(capsys.readouterr().out.encode())
    words = [w.text for w in root.iter("{http://www.w3.org/1999/xhtml}span") if w.get("class") == "ocrx_word"]
    assert " ".join(words) == " ".join(text.split())


def test_several_files_text_is_form_feed_separated(digits_png, blank_png, model, capsys):
    assert main(["read", str(digits_png), str(blank_png), str(digits_png), "--model", str(model)]) == 0
    out = capsys.readouterr().out
    first, empty, third = out.split("\f")
    assert first == third and first.strip() and empty == ""


def test_annotate_names(digits_png, blank_png, model, tmp_path, capsys):
    out = tmp_path / "out.png"
    assert main(["read", str(digits_png), "--annotate", str(out), "--model", str(model)]) == 0
    picture = np.asarray(Image.open(out))
    assert picture.shape == (1200, 900, 3) and (picture != handwritten_page()[:, :, None]).any()
    tiff = tmp_path / "scan.tif"
    tiff.write_bytes(tiff_pages([handwritten_page(), np.full((300, 200), 255, np.uint8)]))
    other = tmp_path / "other" / "scan.png"  # the same stem as scan.tif: its pictures must not overwrite those
    other.parent.mkdir()
    other.write_bytes(blank_png.read_bytes())
    folder = tmp_path / "many"
    folder.mkdir()
    assert main(["read", str(tiff), "--annotate", str(folder / "one.png"), "--model", str(model)]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["one-scan-p1.png", "one-scan-p2.png"]
    assert main(["read", str(tiff), str(other), str(digits_png), "--annotate", str(folder / "x.png"),
                 "--model", str(model)]) == 0
    assert sorted(p.name for p in folder.glob("x*")) == ["x-digits-p1.png", "x-scan-2-p1.png", "x-scan-p1.png",
                                                         "x-scan-p2.png"]
    assert main(["read", str(blank_png), "--annotate", str(tmp_path / "no" / "dir.png"), "--model", str(model)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"digitocr: {tmp_path / 'no' / 'dir.png'}: cannot write") and len(err.splitlines()) == 1


def test_stdin(digits_png, model, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", type("Stdin", (), {"buffer": io.BytesIO(digits_png.read_bytes())})())
    assert main(["read", "-", "--format", "json", "--model", str(model)]) == 0
    assert json.loads(capsys.readouterr().out)["file"] == "-"


def test_the_command_in_a_process_never_imports_torch(digits_png, model, tmp_path):
    code = ("import sys\nfrom digitocr.cli import main\n"
            f"status = main(['read', {str(digits_png)!r}, {str(tmp_path / 'missing.pdf')!r}])\n"
            "assert 'torch' not in sys.modules, 'torch imported'\nsys.exit(status)\n")
    env = {**os.environ, "DIGITOCR_MODEL": str(model)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env)
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"digitocr: {tmp_path / 'missing.pdf'}: no such file\n"
    assert result.stdout.strip()  # the good file was read
    light = subprocess.run([sys.executable, "-c", "import sys, digitocr; digitocr.Document; "
                            "print(sorted({'torch', 'onnxruntime', 'cv2', 'PIL'} & set(sys.modules)))"],
                           capture_output=True, text=True, timeout=60)
    assert light.stdout.strip() == "[]", light.stderr


# --- the Python API ---------------------------------------------------------------------------------------------------

def test_python_api_reads_every_kind_of_source_alike(digits_png, model):
    data = digits_png.read_bytes()
    docs = [digitocr.read(s, model=str(model)) for s in (digits_png, str(digits_png), data, Image.open(digits_png),
                                                          np.asarray(Image.open(digits_png)))]
    assert [d.file for d in docs] == [str(digits_png), str(digits_png), "<bytes>", "<PngImageFile>", "<ndarray>"]
    assert docs[0].text
    for doc in docs[1:]:
        assert [p.to_dict() for p in doc.pages] == [p.to_dict() for p in docs[0].pages]
    assert isinstance(docs[0], digitocr.Document) and docs[0].to_hocr().startswith("<?xml")
    with pytest.raises(DataError, match="empty file"):
        digitocr.read(b"", model=str(model))


def test_python_api_classify(model):
    seven = sorted((EXAMPLES / "7").glob("*.png"))[0]
    result = digitocr.classify(seven, model=str(model))
    assert set(result) == {"digit", "confidence", "probabilities", "not_a_digit"}
    assert 0.0 <= result["not_a_digit"] < result["confidence"]  # 0.0 unless the model has that output
    assert result["digit"] == 7 and len(result["probabilities"]) == 10
    assert result["confidence"] == max(result["probabilities"])
    assert digitocr.classify(np.asarray(Image.open(seven)), model=str(model)) == result
    assert re.fullmatch(r"\d+\.\d+\.\d+.*", digitocr.__version__)


# --- exports of a hand-built Document ---------------------------------------------------------------------------------

def sample_document() -> Document:
    def word(text: str, x: int, y: int, conf: float) -> Word:
        return Word([Char(c, (x + 20 * i, y, x + 20 * i + 18, y + 30), conf, [("7", 0.01)])
                     for i, c in enumerate(text)])

    page1 = Page(1, 400, 300, 300, [Line([word("12", 10, 20, 0.95)]),
                                     Line([word("3", 10, 100, 0.5), word("4.5", 100, 100, 0.7)])])
    page2 = Page(2, 400, 300, 300, [])
    return Document(file='scans/a&"b".pdf', model={"name": "digit_classifier", "sha256": "ab" * 32},
                    pages=[page1, page2])


def test_to_text():
    assert to_text(sample_document()) == "12\n3 4.5\n\f"
    assert to_text(Document("x", {}, [Page(1, 1, 1, None)])) == ""


def test_to_json():
    assert to_json(sample_document()) == (
        '{"file":"scans/a&\\"b\\".pdf","model":{"name":"digit_classifier","sha256":"' + "ab" * 32 + '"},"pages":['
        '{"number":1,"width":400,"height":300,"dpi":300,"text":"12\\n3 4.5","lines":['
        '{"text":"12","bbox":[10,20,48,50],"confidence":0.95,"words":[{"text":"12","bbox":[10,20,48,50],'
        '"confidence":0.95,"chars":[{"text":"1","bbox":[10,20,28,50],"confidence":0.95,"alternatives":[["7",0.01]]},'
        '{"text":"2","bbox":[30,20,48,50],"confidence":0.95,"alternatives":[["7",0.01]]}]}]},'
        '{"text":"3 4.5","bbox":[10,100,158,130],"confidence":0.5,"words":['
        '{"text":"3","bbox":[10,100,28,130],"confidence":0.5,"chars":[{"text":"3","bbox":[10,100,28,130],'
        '"confidence":0.5,"alternatives":[["7",0.01]]}]},'
        '{"text":"4.5","bbox":[100,100,158,130],"confidence":0.7,"chars":['
        '{"text":"4","bbox":[100,100,118,130],"confidence":0.7,"alternatives":[["7",0.01]]},'
        '{"text":".","bbox":[120,100,138,130],"confidence":0.7,"alternatives":[["7",0.01]]},'
        '{"text":"5","bbox":[140,100,158,130],"confidence":0.7,"alternatives":[["7",0.01]]}]}]}]},'
        '{"number":2,"width":400,"height":300,"dpi":300,"text":"","lines":[]}]}')
    assert "\n" not in to_json(sample_document())


def test_to_hocr():
    from digitocr.reading.export import _version

    hocr = to_hocr(sample_document())
    assert hocr == f"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
    "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en">
 <head>
  <title>scans/a&amp;&quot;b&quot;.pdf</title>
  <meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
  <meta name="ocr-system" content="digitocr {_version()}"/>
  <meta name="ocr-capabilities" content="ocr_page ocr_line ocrx_word ocrp_wconf"/>
 </head>
 <body>
  <div class="ocr_page" id="page_1" title="image &quot;scans/a&amp;\\&quot;b\\&quot;.pdf&quot;; bbox 0 0 400 300; \
ppageno 0; scan_res 300 300">
   <span class="ocr_line" id="line_1_1" title="bbox 10 20 48 50"><span class="ocrx_word" id="word_1_1" \
title="bbox 10 20 48 50; x_wconf 95">12</span></span>
   <span class="ocr_line" id="line_1_2" title="bbox 10 100 158 130"><span class="ocrx_word" id="word_1_2" \
title="bbox 10 100 28 130; x_wconf 50">3</span> <span class="ocrx_word" id="word_1_3" \
title="bbox 100 100 158 130; x_wconf 70">4.5</span></span>
  </div>
  <div class="ocr_page" id="page_2" title="image &quot;scans/a&amp;\\&quot;b\\&quot;.pdf&quot;; bbox 0 0 400 300; \
ppageno 1; scan_res 300 300">
  </div>
 </body>
</html>
"""
    assert sample_document().to_hocr() == hocr
    root = ET.fromstring(hocr.encode())  # well-formed XML (XHTML)
    assert root.find(".//{http://www.w3.org/1999/xhtml}title").text == 'scans/a&"b".pdf'
    two = to_hocr([sample_document(), sample_document()])
    assert ET.fromstring(two.encode()) is not None
    assert re.findall(r'id="(page_\d+)"', two) == ["page_1", "page_2", "page_3", "page_4"]


def test_hocr_escapes_word_text():
    doc = Document("x.png", {}, [Page(1, 50, 50, None, [Line([Word([Char("<&>", (1, 2, 3, 4), 0.99)])])])])
    hocr = to_hocr(doc)
    assert ">&lt;&amp;&gt;</span>" in hocr and "scan_res" not in hocr
    assert ET.fromstring(hocr.encode()) is not None


def test_annotate_draws_boxes_and_digits_coloured_by_confidence(tmp_path):
    doc = sample_document()
    page = doc.pages[0]
    image = np.full((300, 400), 255, np.uint8)
    drawn = annotate(image, page)
    assert drawn.shape == (300, 400, 3) and drawn.dtype == np.uint8
    assert image.min() == 255  # the input is left alone
    x0, y0, x1, y1 = page.lines[0].words[0].bbox
    assert tuple(drawn[y0 + 10, x0]) == (0, 160, 60)  # the left edge of a confident word's box: green
    x0, y0, x1, y1 = page.lines[1].words[0].bbox
    assert tuple(drawn[y0 + 10, x0]) == (220, 20, 30)  # confidence 0.5: red
    x0, y0, x1, y1 = page.lines[1].words[1].bbox
    assert tuple(drawn[y0 + 10, x1 - 1]) == (245, 130, 0)  # 0.7: orange
    assert (drawn[y0 - 15:y0, x0:x1] != 255).any()  # the digits above the box
    assert (drawn[200:, 250:] == 255).all()  # far from every word: untouched
    rgb = annotate(np.dstack([image] * 3), page)
    np.testing.assert_array_equal(rgb, drawn)
    path = write_annotated(tmp_path / "a.png", image, page)
    np.testing.assert_array_equal(np.asarray(Image.open(path)), drawn)
    big = annotate(np.full((3508, 2480), 255, np.uint8), page)  # an A4 page at 300 dpi: thicker lines
    assert (big[20:50, 10:16] != 255).all(axis=2).sum() > (drawn[20:50, 10:16] != 255).all(axis=2).sum()
    with pytest.raises(DataError, match="cannot write an image here"):
        write_annotated(tmp_path / "a.unknown-format", image, page)
