"""Request bodies in, bytes out: the size limit, and multipart parsed in memory.

The body is read here rather than by Starlette's form parser, which spools files over 1 MB to a
temporary file: an upload never touches the disk, and its size is checked twice, from Content-Length
before a byte is read and by counting as it arrives (a chunked or lying client gets no further).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from fastapi import HTTPException, Request
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

FIELD = "file"  # the multipart field that carries the file


@dataclass
class Upload:
    name: str  # a label for the result's "file" field; never opened
    data: bytes


def too_large(size: int | None, limit: int) -> HTTPException:
    what = f"{size:,} bytes" if size is not None else "larger than that"
    return HTTPException(413, f"the upload is {what}: the limit is {limit:,} bytes ({limit / 2**20:g} MB)")


async def read_body(request: Request, limit: int) -> bytes:
    """The whole body, in memory, or a 413 as soon as it is known to be over `limit` bytes."""
    declared = request.headers.get("content-length")
    if declared is not None:
        if not declared.isdigit():
            raise HTTPException(400, f"bad Content-Length header: {declared[:40]!r}")
        if int(declared) > limit:
            raise too_large(int(declared), limit)
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large(None, limit)
    return bytes(body)


async def read_upload(request: Request, limit: int, default_name: str = "upload") -> Upload:
    """The file of a multipart/form-data request (field `file`), or the body itself for any other type."""
    body = await read_body(request, limit)
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    if kind != b"multipart/form-data":
        return Upload(default_name, body)
    boundary = options.get(b"boundary")
    if not boundary:
        raise HTTPException(422, "multipart/form-data without a boundary")
    for name, filename, data in parse_multipart(body, boundary):
        if name == FIELD:
            return Upload(label(filename) or default_name, data)
    raise HTTPException(422, f"no file: send it as the multipart field '{FIELD}' (curl -F {FIELD}=@page.png)")


def label(filename: str | None) -> str:
    """The last part of a client's file name, to name the result; a path in it means nothing here."""
    if not filename:
        return ""
    return PurePosixPath(filename.replace("\\", "/")).name[:200]


def parse_multipart(body: bytes, boundary: bytes) -> list[tuple[str, str | None, bytes]]:
    """(field name, file name or None, content) for each part of a multipart/form-data body."""
    parts: list[tuple[str, str | None, bytes]] = []
    headers: dict[bytes, bytes] = {}
    field, value, data = bytearray(), bytearray(), bytearray()
    ended = False

    def header_end() -> None:
        headers[bytes(field).lower()] = bytes(value)
        field.clear()
        value.clear()

    def part_end() -> None:
        _, disposition = parse_options_header(headers.get(b"content-disposition", b""))
        filename = disposition.get(b"filename")
        parts.append((disposition.get(b"name", b"").decode("utf-8", "replace"),
                      None if filename is None else filename.decode("utf-8", "replace"), bytes(data)))
        headers.clear()
        data.clear()

    def end() -> None:
        nonlocal ended
        ended = True

    callbacks = {
        "on_header_field": lambda d, s, e: field.extend(d[s:e]),
        "on_header_value": lambda d, s, e: value.extend(d[s:e]),
        "on_header_end": header_end,
        "on_part_data": lambda d, s, e: data.extend(d[s:e]),
        "on_part_end": part_end,
        "on_end": end,
    }
    try:
        parser = MultipartParser(boundary, callbacks)
        parser.write(body)
        parser.finalize()
    except FormParserError as exc:
        reason = (str(exc).strip().splitlines() or ["unparsable"])[0]
        raise HTTPException(422, f"broken multipart body ({reason})") from None
    if not ended:
        raise HTTPException(422, "broken multipart body (it ends before its closing boundary)")
    return parts
