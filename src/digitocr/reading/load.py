"""File -> page images: a path, bytes, a PIL image or a numpy array in, uint8 grey or RGB pages out.

Inputs are told apart by their content (magic bytes), never by their name. Everything that can be
checked before decoding is checked first (the page count, each page's size in pixels), so that a
decompression bomb or a 5,000-page PDF is refused before it costs memory or time. Every failure is a
DataError(name, one-line reason).
"""

from __future__ import annotations

import io
import os
import re
import warnings
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digitocr.errors import DataError

# Pillow decoders we let near the user's files: the common photo and scan formats. (Pillow would
# also open EPS, which runs Ghostscript, and a dozen rare formats: none of them belongs here.)
PIL_FORMATS = ("JPEG", "PNG", "TIFF", "BMP", "WEBP", "GIF", "PPM", "AVIF")
MULTI_PAGE_FORMATS = ("TIFF",)  # the formats whose frames are pages; for the others the first frame is the image
DEFAULT_MAX_PAGES = 200
DEFAULT_MAX_PIXELS = 80_000_000  # per page: an A3 scan at 600 dpi is 70 million
ORIENTATION = 0x0112  # the EXIF tag of how the camera was held
NOT_READABLE = "not an image or PDF this tool can read"


@dataclass
class PageImage:
    number: int  # 1-based page number within the file
    image: np.ndarray  # uint8, H x W (grey) or H x W x 3 (RGB)
    dpi: int | None  # resolution the page was rendered or scanned at, when known


def load_pages(source, *, dpi: int = 300, pages: str | None = None, max_pages: int = DEFAULT_MAX_PAGES,
               max_pixels: int = DEFAULT_MAX_PIXELS) -> list[PageImage]:
    """Every page of `source` (or those `pages` picks, e.g. "1,3-5", 1-based) as uint8 grey or RGB images.

    PDF pages are rendered at `dpi`. More than `max_pages` pages, or a page of more than `max_pixels`
    pixels, is refused before anything is decoded.
    """
    return list(iter_pages(source, dpi=dpi, pages=pages, max_pages=max_pages, max_pixels=max_pixels))


def iter_pages(source, *, dpi: int = 300, pages: str | None = None, max_pages: int = DEFAULT_MAX_PAGES,
               max_pixels: int = DEFAULT_MAX_PIXELS) -> Iterator[PageImage]:
    """load_pages, one page at a time: only one decoded page is held in memory.

    The checks run when this is called (not at the first page), so a bad file fails here.
    """
    name = source_name(source)
    if dpi <= 0:
        raise DataError(name, f"dpi must be positive, got {dpi}")
    ranges = None
    if pages is not None:
        try:
            ranges = parse_page_spec(pages)
        except ValueError as exc:
            raise DataError(name, f"bad page list {pages!r}: {exc}") from None
    limits = _Limits(name, ranges, max_pages, max_pixels)

    if isinstance(source, np.ndarray):
        return _array_pages(source, limits)
    from PIL import Image

    if isinstance(source, Image.Image):
        return _pil_pages(source, limits, close=False)
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        return _data_pages(name, data, io.BytesIO(data), dpi, limits)
    if isinstance(source, str | os.PathLike):
        return _path_pages(Path(source), name, dpi, limits)
    if hasattr(source, "read"):
        data = source.read()
        return _data_pages(name, data, io.BytesIO(data), dpi, limits)
    raise TypeError(f"cannot read pages from a {type(source).__name__}: give a path, bytes, a PIL image "
                    "or a numpy array")


def source_name(source) -> str:
    """How errors and results name a source: the path as given, else <bytes>, <Image>, <ndarray>."""
    if isinstance(source, str | os.PathLike):
        return str(os.fspath(source))
    return f"<{type(source).__name__}>"


# --- page lists ------------------------------------------------------------------------------------------------------

def parse_page_spec(spec: str) -> list[tuple[int, int | None]]:
    """'1,3-5,8-' -> [(1, 1), (3, 5), (8, None)] (None: to the last page). ValueError says what is wrong."""
    ranges: list[tuple[int, int | None]] = []
    for part in spec.split(","):
        part = part.strip()
        match = re.fullmatch(r"(\d+)(?:\s*(-)\s*(\d*))?", part)
        if not match:
            raise ValueError(f"{part!r} is not a page number or range (like 3 or 3-5 or 3-)" if part
                             else "an empty item (pages look like 1,3-5)")
        start = int(match[1])
        end = start if not match[2] else (int(match[3]) if match[3] else None)
        if start < 1:
            raise ValueError("pages count from 1")
        if end is not None and end < start:
            raise ValueError(f"{part!r} goes backwards")
        ranges.append((start, end))
    return ranges


def select_pages(ranges: list[tuple[int, int | None]] | None, count: int) -> list[int]:
    """The 1-based page numbers `ranges` picks from a file of `count` pages, in file order, each once."""
    if ranges is None:
        return list(range(1, count + 1))
    chosen: set[int] = set()
    for start, end in ranges:
        last = count if end is None else end
        if max(start, last) > count:
            raise ValueError(f"page {max(start, last)} is out of range: the file has {count} page"
                             f"{'s' if count != 1 else ''}")
        chosen.update(range(start, last + 1))
    return sorted(chosen)


@dataclass
class _Limits:
    name: str
    ranges: list[tuple[int, int | None]] | None
    max_pages: int
    max_pixels: int

    def pages(self, count: int) -> list[int]:
        if count < 1:
            raise DataError(self.name, "has no pages")
        try:
            numbers = select_pages(self.ranges, count)
        except ValueError as exc:
            raise DataError(self.name, str(exc)) from None
        if len(numbers) > self.max_pages:
            what = f"{len(numbers)} pages selected" if self.ranges else f"{count} pages"
            raise DataError(self.name, f"{what}, more than the limit of {self.max_pages} "
                                       "(pick some with --pages, or raise --max-pages)")
        return numbers

    def check_size(self, width: int, height: int, number: int | None = None) -> None:
        what = f"page {number} is" if number else "image is"
        if width < 1 or height < 1:
            raise DataError(self.name, f"{what} empty ({width} x {height} pixels)")
        if width * height > self.max_pixels:
            raise DataError(self.name, f"{what} {width:,} x {height:,} pixels, more than the limit of "
                                       f"{self.max_pixels:,} (--max-pixels)")


# --- sources ---------------------------------------------------------------------------------------------------------

def _path_pages(path: Path, name: str, dpi: int, limits: _Limits) -> Iterator[PageImage]:
    if path.is_dir():
        raise DataError(name, "is a directory, not an image or PDF")
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except FileNotFoundError:
        raise DataError(name, "no such file") from None
    except OSError as exc:
        raise DataError(name, f"cannot open ({exc.strerror or exc})") from None
    return _data_pages(name, head, path, dpi, limits)


def _data_pages(name: str, head: bytes, fp, dpi: int, limits: _Limits) -> Iterator[PageImage]:
    """`head`: the first bytes (or all) of the file; `fp`: a path or a binary file object for the decoders."""
    if not head:
        raise DataError(name, "empty file")
    if b"%PDF-" in head[:1024]:
        return _pdf_pages(name, fp, dpi, limits)
    from PIL import Image, UnidentifiedImageError

    try:
        with _pil_guard(limits.max_pixels):
            im = Image.open(fp, formats=PIL_FORMATS)  # reads the header only
    except UnidentifiedImageError:
        raise DataError(name, _unreadable_reason(head)) from None
    except Exception as exc:  # Pillow raises many types for a broken header; none is a fault of ours
        raise _image_error(name, exc, limits.max_pixels) from None
    return _pil_pages(im, limits, close=True, fp=fp)


def _unreadable_reason(head: bytes) -> str:
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1"):
        return "a HEIC/HEIF photo, which this tool cannot read: save it as JPEG or PNG first"
    return NOT_READABLE


def _image_error(name: str, exc: BaseException, max_pixels: int = DEFAULT_MAX_PIXELS) -> DataError:
    from PIL import Image

    if isinstance(exc, MemoryError):  # not the file's fault: let it through
        raise exc
    if isinstance(exc, Image.DecompressionBombError | Image.DecompressionBombWarning):
        size = re.search(r"\((\d+) pixels\)", str(exc))
        what = f"{int(size[1]):,} pixels" if size else "too many pixels"
        return DataError(name, f"image is {what}, more than the limit of {max_pixels:,} (--max-pixels)")
    if isinstance(exc, OSError) and "truncated" in str(exc):
        return DataError(name, "truncated image (the file ends before the image does)")
    return DataError(name, f"broken image ({_one_line(exc) or type(exc).__name__})")


class _pil_guard:
    """Pillow's own bomb check, in line with ours. Pillow warns above Image.MAX_IMAGE_PIXELS and refuses
    above twice that; our limit is the one that counts, so Pillow's is raised when a caller asks for
    more (never lowered), and its warning is silenced: our check of the header's size follows at once."""

    def __init__(self, max_pixels: int):
        self.max_pixels = max_pixels
        self.warnings = warnings.catch_warnings()

    def __enter__(self):
        from PIL import Image

        if Image.MAX_IMAGE_PIXELS is not None and self.max_pixels > Image.MAX_IMAGE_PIXELS:
            Image.MAX_IMAGE_PIXELS = self.max_pixels
        self.warnings.__enter__()
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        return self

    def __exit__(self, *exc_info):
        return self.warnings.__exit__(*exc_info)


def _pil_pages(im, limits: _Limits, close: bool, fp=None) -> Iterator[PageImage]:
    """`fp`: the file (a path or BytesIO) `im` was opened from, if any: a plain PNG is decoded from it by OpenCV."""
    multi = im.format in MULTI_PAGE_FORMATS
    try:
        try:
            count = getattr(im, "n_frames", 1) if multi else 1
        except Exception as exc:
            raise _image_error(limits.name, exc, limits.max_pixels) from None
        numbers = limits.pages(count)
        for number in numbers:  # every size, before any decoding
            try:
                if multi:
                    im.seek(number - 1)
            except Exception as exc:
                raise _image_error(limits.name, exc, limits.max_pixels) from None
            limits.check_size(*im.size, number if multi and count > 1 else None)
    except BaseException:
        if close:
            im.close()
        raise

    def pages() -> Iterator[PageImage]:
        try:
            for number in numbers:
                try:
                    with _pil_guard(limits.max_pixels):
                        if multi:
                            im.seek(number - 1)
                        array = _plain_png(im, fp)
                        if array is None:
                            array = pil_to_array(im)
                except DataError:
                    raise
                except Exception as exc:
                    raise _image_error(limits.name, exc, limits.max_pixels) from None
                yield PageImage(number, array, _pil_dpi(im))
        finally:
            if close:
                im.close()

    return pages()


def _pil_dpi(im) -> int | None:
    dpi = im.info.get("dpi")
    try:
        value = round(float(dpi[0]))
    except (TypeError, ValueError, IndexError):
        return None
    return value if value > 1 else None


def _plain_png(im, fp) -> np.ndarray | None:
    """An 8-bit grey or RGB PNG without transparency or EXIF, whole and sound (every chunk's CRC right, up to IEND),
    decoded by libspng (imagecodecs) straight into numpy: the same pixels as Pillow's, in half of OpenCV's time (an
    A4 page in colour: 28 ms against 55 to 67, Pillow's 120). None for any other PNG, or if libspng fails: Pillow
    reads it then, or says why not. (Truncation and damage break a CRC; a file crafted with right CRCs over a broken
    stream fails libspng's check of the stream's own checksum.)"""
    if im.format != "PNG" or im.mode not in ("L", "RGB") or "transparency" in im.info or fp is None:
        return None
    data = memoryview(fp.read_bytes() if isinstance(fp, Path) else fp.getvalue())
    if len(data) < 33 or data[24] != 8 or data[25] not in (0, 2) or not _png_chunks_sound(data):
        return None  # (IHDR's bit depth, colour type 0 grey or 2 RGB)
    from imagecodecs import SpngError, spng_decode

    try:
        image = spng_decode(data)
    except SpngError:
        return None
    if image.dtype != np.uint8 or image.shape != ((im.height, im.width, 3) if im.mode == "RGB"
                                                  else (im.height, im.width)):
        return None
    return image


def _png_chunks_sound(data: memoryview) -> bool:
    """Every chunk whole with its CRC right, up to IEND, and no eXIf (an orientation OpenCV would not apply)."""
    pos = 8
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos:pos + 4], "big")
        end = pos + 12 + length
        kind = bytes(data[pos + 4:pos + 8])
        if end > len(data) or kind == b"eXIf" or zlib.crc32(data[pos + 4:end - 4]) != int.from_bytes(
                data[end - 4:end], "big"):
            return False
        if kind == b"IEND":
            return True
        pos = end
    return False


def pil_to_array(im) -> np.ndarray:
    """A PIL image (decoded here in full: a truncated file fails) -> uint8 H x W or H x W x 3, upright."""
    from PIL import Image, ImageOps

    im.load()
    try:
        if im.getexif().get(ORIENTATION, 1) != 1:  # (exif_transpose copies even an upright image: 20 ms a page)
            im = ImageOps.exif_transpose(im)
    except Exception:  # a broken EXIF block: read the image as stored
        pass
    mode = im.mode
    if mode.startswith("I") or mode == "F":
        return _scale_to_uint8(np.asarray(im), mode)
    if mode == "P" or "transparency" in im.info:
        im = im.convert("RGBA")
        mode = "RGBA"
    if mode in ("LA", "La", "PA", "RGBA", "RGBa"):
        white = Image.new("RGBA", im.size, (255, 255, 255, 255))
        white.alpha_composite(im.convert("RGBA"))
        im = white.convert("L" if mode in ("LA", "La") else "RGB")
    elif mode not in ("L", "RGB"):
        im = im.convert("L" if mode == "1" else "RGB")
    return np.array(im, dtype=np.uint8)


def _scale_to_uint8(a: np.ndarray, mode: str) -> np.ndarray:
    """16-bit, 32-bit integer or float pixels -> uint8."""
    a = np.asarray(a)
    if a.dtype.kind == "f":
        finite = a[np.isfinite(a)]
        top = 1.0 if finite.size == 0 or finite.max() <= 1.0 else 255.0
        return np.clip(np.nan_to_num(a) * (255.0 / top) + 0.5, 0, 255).astype(np.uint8)
    if a.dtype == np.bool_:
        return a.astype(np.uint8) * 255
    if a.dtype == np.uint8:
        return a
    # Pillow's "I" mode does not say how many bits were used: 16 unless every value fits in 8.
    sixteen = mode.startswith("I;16") or a.dtype == np.uint16 or (a.size and a.max() > 255)
    a = np.clip(a.astype(np.int64), 0, 65535 if sixteen else 255)
    return ((a * 255 + 32767) // 65535).astype(np.uint8) if sixteen else a.astype(np.uint8)


def _array_pages(a: np.ndarray, limits: _Limits) -> Iterator[PageImage]:
    """A numpy image: H x W grey, or H x W x 3 RGB, or H x W x 4 RGBA; uint8, uint16, bool or float in [0, 1]."""
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (3, 4)):
        raise DataError(limits.name, f"an image array must be H x W, H x W x 3 (RGB) or H x W x 4 (RGBA), "
                                     f"not {' x '.join(map(str, a.shape))}")
    if a.dtype.kind not in "biuf":
        raise DataError(limits.name, f"an image array of {a.dtype} pixels: give uint8, uint16, bool or float")
    numbers = limits.pages(1)
    limits.check_size(a.shape[1], a.shape[0])

    def pages() -> Iterator[PageImage]:
        image = _scale_to_uint8(a, "I;16" if a.dtype == np.uint16 else "")
        if image.ndim == 3 and image.shape[2] == 4:
            alpha = image[:, :, 3:].astype(np.float32) / 255.0
            image = (image[:, :, :3] * alpha + 255.0 * (1.0 - alpha) + 0.5).astype(np.uint8)
        yield PageImage(numbers[0], np.ascontiguousarray(image), None)

    return pages()


def _pdf_pages(name: str, fp, dpi: int, limits: _Limits) -> Iterator[PageImage]:
    import pypdfium2 as pdfium

    source = str(fp) if isinstance(fp, Path) else fp.getvalue()
    try:
        pdf = pdfium.PdfDocument(source)
    except pdfium.PdfiumError as exc:
        raise DataError(name, _pdf_failure(fp, exc)) from None
    scale = dpi / 72.0
    sizes = {}
    try:
        numbers = limits.pages(len(pdf))
        for number in numbers:  # every size, before any rendering
            width, height = pdf[number - 1].get_size()
            # As pdftoppm counts: A4 at 300 dpi is 2480 x 3508 (PDFium would round up to 2481 x 3508).
            sizes[number] = (max(1, round(width * scale)), max(1, round(height * scale)))
            limits.check_size(*sizes[number], number)
    except BaseException:
        pdf.close()
        raise

    def pages() -> Iterator[PageImage]:
        try:
            for number in numbers:
                try:
                    bitmap = pdf[number - 1].render(scale=scale, rev_byteorder=True)
                    width, height = sizes[number]
                    image = bitmap.to_numpy()[:height, :width]
                except (pdfium.PdfiumError, ValueError) as exc:
                    raise DataError(name, f"page {number} cannot be rendered ({_one_line(exc)})") from None
                yield PageImage(number, _grey_if_achromatic(image), dpi)
        finally:
            pdf.close()

    return pages()


def _pdf_failure(fp, exc) -> str:
    """Why PDFium would not open a PDF, in words. PDFium leaves its last error code in place when a
    file has no pages, so a 'password' code is believed only when the file has an /Encrypt entry."""
    import pypdfium2.raw as pdfium_c

    data = fp.read_bytes() if isinstance(fp, Path) else fp.getvalue()
    if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD and b"/Encrypt" in data:
        return "encrypted PDF (password-protected): remove the password first, e.g. qpdf --decrypt"
    if not re.search(rb"/Type\s*/Page(?![a-zA-Z])", data) and b"/ObjStm" not in data:
        return "a PDF with no pages"
    if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_FORMAT:
        return "broken PDF (data format error)"
    return "broken PDF (PDFium cannot load it)"


def _grey_if_achromatic(image: np.ndarray) -> np.ndarray:
    """A rendered page whose pixels are all grey -> H x W (a third of the memory downstream)."""
    if image.ndim == 3 and np.array_equal(image[:, :, 0], image[:, :, 1]) and np.array_equal(
            image[:, :, 1], image[:, :, 2]):
        return np.ascontiguousarray(image[:, :, 0])
    return np.ascontiguousarray(image[:, :, :3]) if image.ndim == 3 else image


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else ""
