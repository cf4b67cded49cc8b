"""Files built byte for byte for the tests of the reader and the server: broken, hostile and odd inputs."""

from __future__ import annotations

import io
import struct
import zlib

import numpy as np
from PIL import Image


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    buf = io.BytesIO()
    image.save(buf, fmt, **options)
    return buf.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose IHDR claims width x height (valid CRCs) with a few bytes of pixels behind it: a
    decompression bomb, as far as its header goes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def pdf_from_objects(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """A PDF file with these objects (1 0 obj is the catalogue), a correct xref table and trailer."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (i, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref))
    return out.getvalue()


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"


def pdf_no_pages() -> bytes:
    return pdf_from_objects([CATALOG, b"<< /Type /Pages /Kids [] /Count 0 >>"])


def pdf_encrypted() -> bytes:
    """Standard security handler, RC4 40-bit, with a user password (the /U entry matches no empty password)."""
    return pdf_from_objects(
        [CATALOG, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
         b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>",
         b"<< /Filter /Standard /V 1 /R 2 /O <" + b"4f" * 32 + b"> /U <" + b"55" * 32 + b"> /P -44 >>"],
        trailer=b"/Encrypt 4 0 R /ID [<" + b"01" * 16 + b"> <" + b"01" * 16 + b">] ")


def truncated_jpeg() -> bytes:
    data = encode(Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 200), np.uint8)), "JPEG")
    return data[: len(data) // 2]
